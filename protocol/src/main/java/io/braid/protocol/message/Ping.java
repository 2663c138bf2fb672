package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;

/**
 * PING: asks the peer for a {@link Pong}, on stream 0 (MQTT 5 §3.12). Either side may send it; the receiver answers with a PONG that echoes {@code data}.
 *
 * @param data opaque bytes (e.g. a timestamp for measuring round trips), usually empty
 */
public record Ping(Buffer data) implements BraidMessage {

  public Ping {
    Checks.required("PING.data", data);
  }

  /** A PING with no data. */
  public Ping() {
    this(Buffer.buffer());
  }

  @Override
  public MessageType type() {
    return MessageType.PING;
  }

  @Override
  public String toString() {
    return "Ping[data=" + Describe.bytes(data) + "]";
  }
}
