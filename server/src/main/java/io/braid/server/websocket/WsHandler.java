package io.braid.server.websocket;

import io.braid.protocol.ws.CloseReason;
import io.vertx.core.buffer.Buffer;

/**
 * What an endpoint does with one open connection: whole WebSocket messages in, in order, already validated (UTF-8
 * of text included) and reassembled from their fragments. Pings, pongs and the close handshake are handled by the
 * server. An endpoint that needs the frames themselves implements {@link WsFrameHandler}. Called on the connection's
 * event loop only.
 */
@FunctionalInterface
public interface WsHandler {

  /** A whole text ({@code text}: valid UTF-8) or binary message. */
  void onMessage(boolean text, Buffer payload);

  /**
   * The connection ended; {@code reason} is the close frame received, else the one the server sent, else 1006 when
   * there was none.
   */
  default void onClosed(CloseReason reason) {}

  /** The socket's write queue has room again after {@link WsChannel#writeQueueFull()} was true. */
  default void onDrain() {}

  /**
   * The server is shutting down: finish what is in progress, tell the client, then call {@code done}, after which
   * the server closes the WebSocket with 1001. The default calls {@code done} at once. The server closes the
   * connection anyway when its shutdown timeout elapses.
   */
  default void onShutdown(Runnable done) {
    done.run();
  }
}
