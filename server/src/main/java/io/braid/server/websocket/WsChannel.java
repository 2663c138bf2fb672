package io.braid.server.websocket;

import io.braid.protocol.handshake.HttpRequestHead;
import io.braid.protocol.ws.Opcode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

/**
 * The sending side of an open WebSocket connection, as an endpoint sees it. Confined to the
 * connection's event loop: call it only from the {@link WsHandler} callbacks or that context.
 */
public interface WsChannel {
  /** Sends one frame; after the close handshake began, data frames are dropped. */
  void send(int opcode, boolean fin, Buffer payload);

  default void sendText(String text) {
    send(Opcode.TEXT, true, Buffer.buffer(text));
  }

  default void sendBinary(Buffer data) {
    send(Opcode.BINARY, true, data);
  }

  /** Starts the close handshake; the TCP connection closes when the client answers or times out. */
  void close(int code, String reason);

  /** The negotiated subprotocol, or null. */
  String subprotocol();

  SocketAddress remoteAddress();

  /** The handshake request (path, headers such as {@code Authorization}). */
  HttpRequestHead request();

  /**
   * Whether the socket's write queue is full: the client is not reading what it is sent. The handler's
   * {@link WsHandler#onDrain()} is called once it has room again.
   */
  boolean writeQueueFull();

  /**
   * Stops reading from the client until {@link #resumeReading()}: the endpoint's own backpressure, such as an MQTT
   * client past its receive maximum. The default does nothing.
   */
  default void pauseReading() {
  }

  /** Reads again after {@link #pauseReading()} (once the write queue has room, if it is full). */
  default void resumeReading() {
  }
}
