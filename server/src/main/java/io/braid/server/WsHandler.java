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
}
