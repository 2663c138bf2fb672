package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;

/**
 * PONG: the answer to a {@link Ping}, on stream 0 (MQTT 5 §3.13), echoing the PING's {@code data}.
 *
 * @param data opaque bytes (e.g. a timestamp for measuring round trips), usually empty
 */
public record Pong(Buffer data) implements BraidMessage {

  public Pong {
    Checks.required("PONG.data", data);
  }

  /** A PONG with no data. */
  public Pong() {
    this(Buffer.buffer());
  }

  @Override
  public MessageType type() {
    return MessageType.PONG;
  }

  @Override
  public String toString() {
    return "Pong[data=" + Describe.bytes(data) + "]";
  }
}
