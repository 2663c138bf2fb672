package io.braid.server.websocket;

import io.vertx.core.net.SocketAddress;

/**
 * What the server asks and tells its owner about every connection: whether to admit it once its handshake request
 * is valid (node-wide limits), and the errors it ends with (for metrics). Called on the connection's event loop;
 * implementations are shared by every loop and must be thread safe.
 */
public interface ConnectionHooks {

  /** Admits everything, observes nothing. */
  ConnectionHooks NONE = new ConnectionHooks() { };

  /** A refusal of a valid handshake: the HTTP status (429, 503) and the reason in the response body. */
  record Refusal(int status, String reason) {
  }

  /**
   * A handshake request from {@code remote} is valid: admit it (null), or refuse it. Each admitted connection is
   * {@link #released} once when it closes.
   */
  default Refusal admit(SocketAddress remote) {
    return null;
  }

  /** An admitted connection's handshake completed; {@code compressed}: permessage-deflate was negotiated. */
  default void opened(boolean compressed) {
  }

  /** An admitted connection closed. */
  default void released() {
  }

  /** A handshake was refused with {@code status} (400, 403, 404, 426, 429, 431, 503) or timed out (408). */
  default void handshakeRefused(int status) {
  }

  /** A WebSocket protocol error closed a connection with {@code closeCode} (1002, 1007, 1009, ...). */
  default void protocolError(int closeCode) {
  }
}
