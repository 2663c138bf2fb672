package io.braid.protocol.handshake;

import io.braid.protocol.ws.deflate.DeflateConfig;
import io.braid.protocol.ws.deflate.DeflateNegotiation;
import io.braid.protocol.ws.deflate.DeflateParameters;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): validates a parsed request head and
 * produces the 101 response or a complete refusal.
 *
 * <ul>
 *   <li>400: not {@code GET}, older than HTTP/1.1, no single {@code Host}, {@code Upgrade} without
 *       the {@code websocket} token, {@code Connection} without the {@code Upgrade} token, or a
 *       {@code Sec-WebSocket-Key} that is not the base64 of exactly 16 bytes;
 *   <li>404: no endpoint at the request's path;
 *   <li>403: an {@code Origin} the {@link OriginPolicy} refuses;
 *   <li>426 with {@code Sec-WebSocket-Version: 13}: any version but 13, or none.
 * </ul>
 *
 * <p>The subprotocol is the first one in the client's {@code Sec-WebSocket-Protocol} list that the
 * endpoint speaks, or none. permessage-deflate (RFC 7692) is accepted on the first acceptable offer
 * where the server has it on; an offer it cannot accept, or a {@code Sec-WebSocket-Extensions}
 * header it cannot parse, is declined: the connection opens uncompressed. Immutable and thread safe.
 */
public final class ServerHandshake {
  public static final String VERSION = "13";

  private final Map<String, EndpointSpec> endpoints;
  private final OriginPolicy origins;
  private final DeflateConfig deflate;

  /** A server that declines every extension. */
  public ServerHandshake(List<EndpointSpec> endpoints, OriginPolicy origins) {
    this(endpoints, origins, null);
  }

  /** @param deflate how the server compresses, or null to decline permessage-deflate */
  public ServerHandshake(List<EndpointSpec> endpoints, OriginPolicy origins, DeflateConfig deflate) {
    this.endpoints = endpoints.stream().collect(Collectors.toUnmodifiableMap(EndpointSpec::path, Function.identity()));
    this.origins = origins;
    this.deflate = deflate;
  }

  /** Answers a complete request head. */
  public HandshakeResult handle(HttpRequestHead request) {
    try {
      return accept(request);
    } catch (HandshakeException e) {
      return reject(e.status(), e.reason());
    }
  }

  private HandshakeResult.Accepted accept(HttpRequestHead request) {
    HttpHeaders headers = request.headers();
    if (!request.method().equals("GET")) {
      throw badRequest("method must be GET");
    }
    if (!request.isAtLeastHttp11()) {
      throw badRequest("HTTP/1.1 or later is required");
    }
    EndpointSpec endpoint = endpoints.get(request.path());
    if (endpoint == null) {
      throw new HandshakeException(HttpStatus.NOT_FOUND, "no WebSocket endpoint at " + request.path());
    }
    if (headers.getAll("Host").size() != 1) {
      throw badRequest("exactly one Host header is required");
    }
    if (!headers.containsToken("Upgrade", "websocket")) {
      throw badRequest("Upgrade header must contain 'websocket'");
    }
    if (!headers.containsToken("Connection", "Upgrade")) {
      throw badRequest("Connection header must contain 'Upgrade'");
    }
    List<String> versions = headers.getAll("Sec-WebSocket-Version");
    if (versions.size() != 1 || !versions.get(0).equals(VERSION)) {
      throw new HandshakeException(HttpStatus.UPGRADE_REQUIRED, "Sec-WebSocket-Version must be 13");
    }
    String key = singleKey(headers);
    if (!origins.allows(headers.get("Origin"))) {
      throw new HandshakeException(HttpStatus.FORBIDDEN, "origin not allowed");
    }
    String subprotocol = selectSubprotocol(headers.tokens("Sec-WebSocket-Protocol"), endpoint.subprotocols());
    DeflateParameters compression = negotiateDeflate(headers.getAll("Sec-WebSocket-Extensions"));
    return new HandshakeResult.Accepted(request, endpoint, subprotocol, compression,
        switchingProtocols(key, subprotocol, compression));
  }

  private DeflateParameters negotiateDeflate(List<String> offers) {
    if (deflate == null || offers.isEmpty()) {
      return null;
    }
    try {
      return DeflateNegotiation.accept(offers, deflate.contextTakeover());
    } catch (IllegalArgumentException malformed) {
      return null; // declined: an extension is optional, the connection opens without it
    }
  }

  private static String singleKey(HttpHeaders headers) {
    List<String> keys = headers.getAll("Sec-WebSocket-Key");
    if (keys.size() != 1) {
      throw badRequest("exactly one Sec-WebSocket-Key header is required");
    }
    String key = keys.get(0);
    try {
      // base64-value-non-empty (§4.1) comes in groups of 4 characters: 16 bytes are 24, with "=="
      if (Base64.getDecoder().decode(key).length != 16 || key.length() != 24) {
        throw badRequest("Sec-WebSocket-Key must be 16 bytes in base64");
      }
    } catch (IllegalArgumentException e) {
      throw badRequest("Sec-WebSocket-Key is not base64");
    }
    return key;
  }

  /** The first protocol the client offers that the server speaks (RFC 6455 §4.2.2 step 5.4). */
  static String selectSubprotocol(List<String> offered, List<String> supported) {
    for (String candidate : offered) {
      if (supported.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  static Buffer switchingProtocols(String key, String subprotocol, DeflateParameters compression) {
    StringBuilder sb = new StringBuilder(160)
        .append("HTTP/1.1 101 Switching Protocols\r\n")
        .append("Upgrade: websocket\r\n")
        .append("Connection: Upgrade\r\n")
        .append("Sec-WebSocket-Accept: ").append(AcceptKey.compute(key)).append("\r\n");
    if (subprotocol != null) {
      sb.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
    }
    if (compression != null) {
      sb.append("Sec-WebSocket-Extensions: ").append(compression.headerValue()).append("\r\n");
    }
    sb.append("\r\n");
    return Buffer.buffer(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * A complete refusal: status line, a plain-text body with the reason, {@code Connection: close},
   * and for 426 the version the server speaks (§4.4).
   */
  public static HandshakeResult.Rejected reject(int status, String reason) {
    byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(200)
        .append("HTTP/1.1 ").append(status).append(' ').append(HttpStatus.reasonPhrase(status)).append("\r\n")
        .append("Content-Type: text/plain; charset=utf-8\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n")
        .append("Connection: close\r\n");
    if (status == HttpStatus.UPGRADE_REQUIRED) {
      sb.append("Sec-WebSocket-Version: ").append(VERSION).append("\r\n");
    }
    sb.append("\r\n");
    Buffer response = Buffer.buffer(sb.toString().getBytes(StandardCharsets.ISO_8859_1)).appendBytes(body);
    return new HandshakeResult.Rejected(status, reason, response);
  }

  private static HandshakeException badRequest(String reason) {
    return new HandshakeException(HttpStatus.BAD_REQUEST, reason);
  }
}
