package io.braid.server;

import io.braid.protocol.ws.CloseReason;
import io.braid.protocol.ws.WsFrame;

/**
 * What an endpoint does with one open connection. Pings, pongs and the close handshake are handled
 * by the server; the handler sees data frames in order, already validated (UTF-8 of text included).
 * Called on the connection's event loop only.
 */
public interface WsHandler {
  /** A text, binary or continuation frame. */
  void onDataFrame(WsFrame frame);

  /** The connection ended; {@code reason} is the close frame received, or 1006 when there was none. */
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
