package io.braid.protocol.endpoint;

import io.vertx.core.buffer.Buffer;

/** Where a {@link StreamEndpoint} writes its WebSocket messages: a socket, or another endpoint in a test. */
@FunctionalInterface
public interface WebSocketOut {

  /** Sends one whole WebSocket message: text ({@code braid.v1.json}) or binary ({@code braid.v1}). */
  void send(boolean text, Buffer payload);
}
