package io.braid.protocol.handshake;

import io.braid.protocol.ws.deflate.DeflateNegotiation;
import io.braid.protocol.ws.deflate.DeflateParameters;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): builds the upgrade request with a
 * fresh random key and validates the server's response. One instance per connection attempt.
 */
public final class ClientHandshake {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String host;
  private final String path;
  private final List<String> subprotocols;
  private final Map<String, String> extraHeaders;
  private final String key;
  private final DeflateParameters deflateOffer;
  private DeflateParameters compression;

  /**
   * @param host the {@code Host} header value, with the port where it is not the default
   * @param path the request target, e.g. {@code /echo}
   * @param subprotocols the subprotocols to offer, in order of preference; may be empty
   * @param extraHeaders further headers, such as {@code Origin} or {@code Authorization}
   */
  public ClientHandshake(String host, String path, List<String> subprotocols, Map<String, String> extraHeaders) {
    this(host, path, subprotocols, extraHeaders, null);
  }

  /** @param deflateOffer the permessage-deflate parameters to offer, or null to offer no extension */
  public ClientHandshake(String host, String path, List<String> subprotocols, Map<String, String> extraHeaders,
      DeflateParameters deflateOffer) {
    this.deflateOffer = deflateOffer;
    this.host = host;
    this.path = path;
    this.subprotocols = List.copyOf(subprotocols);
    this.extraHeaders = Map.copyOf(extraHeaders);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    this.key = Base64.getEncoder().encodeToString(nonce);
  }

  /** The base64 nonce sent as {@code Sec-WebSocket-Key}. */
  public String key() {
    return key;
  }

  /** The request head to send. */
  public Buffer request() {
    StringBuilder sb = new StringBuilder(256)
        .append("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append("\r\n")
        .append("Upgrade: websocket\r\n")
        .append("Connection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
        .append("Sec-WebSocket-Version: ").append(ServerHandshake.VERSION).append("\r\n");
    if (!subprotocols.isEmpty()) {
      sb.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
    }
    if (deflateOffer != null) {
      sb.append("Sec-WebSocket-Extensions: ").append(deflateOffer.headerValue()).append("\r\n");
    }
    extraHeaders.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
    sb.append("\r\n");
    return Buffer.buffer(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Validates the server's response (§4.1, "the client MUST validate the server's response").
   *
   * @return the subprotocol the server selected, or null
   * @throws HandshakeException naming the first rule the response breaks
   */
  public String validate(HttpResponseHead response) {
    if (response.status() != HttpStatus.SWITCHING_PROTOCOLS) {
      throw fail("server answered " + response.status() + " " + response.reasonPhrase());
    }
    HttpHeaders headers = response.headers();
    if (!headers.containsToken("Upgrade", "websocket")) {
      throw fail("response Upgrade header must be 'websocket'");
    }
    if (!headers.containsToken("Connection", "Upgrade")) {
      throw fail("response Connection header must contain 'Upgrade'");
    }
    String expected = AcceptKey.compute(key);
    if (!expected.equals(headers.get("Sec-WebSocket-Accept"))) {
      throw fail("Sec-WebSocket-Accept does not match the key");
    }
    List<String> extensions = headers.getAll("Sec-WebSocket-Extensions");
    if (!extensions.isEmpty()) {
      if (deflateOffer == null) {
        throw fail("server selected an extension that was not offered: " + extensions.get(0));
      }
      try {
        compression = DeflateNegotiation.agree(extensions, deflateOffer);
      } catch (IllegalArgumentException e) {
        throw fail("Sec-WebSocket-Extensions: " + e.getMessage());
      }
    }
    List<String> selected = headers.tokens("Sec-WebSocket-Protocol");
    if (selected.isEmpty()) {
      return null;
    }
    if (selected.size() > 1 || !subprotocols.contains(selected.get(0))) {
      throw fail("server selected a subprotocol that was not offered: " + String.join(",", selected));
    }
    return selected.get(0);
  }

  /** The permessage-deflate parameters the validated response agreed to, or null. */
  public DeflateParameters compression() {
    return compression;
  }

  private static HandshakeException fail(String reason) {
    return new HandshakeException(HttpStatus.BAD_REQUEST, reason);
  }
}
