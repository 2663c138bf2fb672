package io.braid.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request head for tests, starting from the sample handshake of RFC 6455 §1.3 and §4.1 and
 * changed one rule at a time.
 */
final class Request {
  private String requestLine = "GET /chat HTTP/1.1";
  private final List<String> fields = new ArrayList<>(List.of(
      "Host: server.example.com",
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Origin: http://example.com",
      "Sec-WebSocket-Protocol: chat, superchat",
      "Sec-WebSocket-Version: 13"));

  private Request() {}

  /** The RFC's sample request, as is. */
  static Request rfcSample() {
    return new Request();
  }

  Request requestLine(String line) {
    requestLine = line;
    return this;
  }

  /** Replaces every field called {@code name}, in place, with one {@code name: value}. */
  Request with(String name, String value) {
    int at = indexOf(name);
    without(name);
    fields.add(at < 0 ? fields.size() : at, name + ": " + value);
    return this;
  }

  /** Adds a field line as given, e.g. a second {@code Host}, or a malformed line. */
  Request plusLine(String line) {
    fields.add(line);
    return this;
  }

  Request without(String name) {
    fields.removeIf(f -> f.regionMatches(true, 0, name + ":", 0, name.length() + 1));
    return this;
  }

  private int indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(requestLine).append("\r\n");
    fields.forEach(f -> sb.append(f).append("\r\n"));
    return sb.append("\r\n").toString();
  }

  byte[] bytes() {
    return toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Parses the head in one read with the default limits. */
  HttpRequestHead parse() {
    return parseRequest(bytes());
  }

  static HttpRequestHead parseRequest(byte[] head) {
    HttpHeadParser parser = HttpHeadParser.forRequest(HttpHeadParser.DEFAULT_MAX_HEAD_SIZE, HttpHeadParser.DEFAULT_MAX_HEADER_COUNT);
    assertThat(parser.parse(Buffer.buffer(head))).isEqualTo(head.length);
    return parser.requestHead();
  }

  /** Parses a complete response head; the body, if any, follows at {@code response.length()} minus the body. */
  static HttpResponseHead parseResponse(Buffer response) {
    HttpHeadParser parser = HttpHeadParser.forResponse(HttpHeadParser.DEFAULT_MAX_HEAD_SIZE, HttpHeadParser.DEFAULT_MAX_HEADER_COUNT);
    assertThat(parser.parse(response)).isPositive();
    return parser.responseHead();
  }
}
