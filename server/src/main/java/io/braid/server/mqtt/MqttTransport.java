package io.braid.server.mqtt;

import io.vertx.core.buffer.Buffer;

/**
 * The byte pipe under one MQTT connection: a TCP or TLS socket, or a WebSocket (subprotocol {@code mqtt}). Confined
 * to the connection's event loop.
 */
interface MqttTransport {

  /** Sends whole packets, in order. */
  void write(Buffer bytes);

  /** Whether the client is not reading what it is sent; the connection's {@code onDrain} follows once it is again. */
  boolean writeQueueFull();

  /** Stops reading from the client: backpressure, such as a client past its receive maximum. */
  void pauseReading();

  /** Reads again after {@link #pauseReading()}. */
  void resumeReading();

  /** Closes the connection after what was written. */
  void close();

  /** The client's address, for logs. */
  String remote();

  /** A bearer token the transport carried (a WebSocket handshake's {@code Authorization} header), or null. */
  String bearerToken();

  /** {@code tcp}, {@code tls} or {@code websocket}: for logs and metrics. */
  String name();
}
