package io.braid.protocol.handshake;

import io.braid.protocol.ws.deflate.DeflateParameters;
import io.vertx.core.buffer.Buffer;

/** What the server answers a handshake request with. */
public sealed interface HandshakeResult {
  /** The bytes to write back: a 101 response, or a complete error response. */
  Buffer response();

  /**
   * The handshake succeeded.
   *
   * @param endpoint the endpoint the request addressed
   * @param subprotocol the negotiated subprotocol, or null when none was
   * @param compression the agreed permessage-deflate parameters, or null when it was not negotiated
   */
  record Accepted(HttpRequestHead request, EndpointSpec endpoint, String subprotocol, DeflateParameters compression,
      Buffer response)
      implements HandshakeResult {}

  /** The handshake was refused; the connection closes after {@link #response()} is written. */
  record Rejected(int status, String reason, Buffer response) implements HandshakeResult {}
}
