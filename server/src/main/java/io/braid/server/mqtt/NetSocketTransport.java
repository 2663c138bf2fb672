package io.braid.server.mqtt;

import io.braid.server.websocket.LingeringClose;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * MQTT over a TCP or TLS socket. Reading pauses while the write queue is full (a client that does not read its
 * acknowledgements is not read from either) and while the connection asks it to. Confined to the socket's event loop.
 */
final class NetSocketTransport implements MqttTransport {
  /** How long a closed connection reads on for the client's end before it closes anyway. */
  private static final long LINGER_MILLIS = 2_000;

  private final NetSocket socket;
  private final String name;
  private final String remote;
  private Runnable drained = () -> { };
  private boolean writePaused;
  private boolean readPaused;
  private boolean closed;

  NetSocketTransport(NetSocket socket, boolean tls) {
    this.socket = socket;
    this.name = tls ? "tls" : "tcp";
    this.remote = String.valueOf(socket.remoteAddress());
  }

  /** What runs when a full write queue has room again. */
  void onDrain(Runnable drained) {
    this.drained = drained;
  }

  @Override
  public void write(Buffer bytes) {
    if (closed) {
      return;
    }
    socket.write(bytes);
    if (!writePaused && socket.writeQueueFull()) {
      writePaused = true;
      socket.pause();
      socket.drainHandler(v -> {
        writePaused = false;
        if (!readPaused && !closed) {
          socket.resume();
        }
        drained.run();
      });
    }
  }

  @Override
  public boolean writeQueueFull() {
    return writePaused;
  }

  @Override
  public void pauseReading() {
    readPaused = true;
    socket.pause();
  }

  @Override
  public void resumeReading() {
    readPaused = false;
    if (!writePaused && !closed) {
      socket.resume();
    }
  }

  /**
   * A lingering close: the CONNACK or DISCONNECT that says why is not lost to a reset when the
   * client is still sending.
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      LingeringClose.close(socket, LINGER_MILLIS);
    }
  }

  @Override
  public String remote() {
    return remote;
  }

  @Override
  public String bearerToken() {
    return null;
  }

  @Override
  public String name() {
    return name;
  }
}
