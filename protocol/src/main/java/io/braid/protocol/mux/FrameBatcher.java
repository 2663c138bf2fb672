package io.braid.protocol.mux;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Coalesces binary stream frames into WebSocket messages: small frames queued during one event-loop
 * turn travel in one message, which saves a WebSocket header, a write and often a TCP segment per
 * frame. A message never exceeds {@code maxMessageBytes} unless a single frame does, and frames are
 * never split. Not thread safe: confine an instance to the connection's event loop.
 */
public final class FrameBatcher {
  private final int maxMessageBytes;
  private Buffer batch;

  public FrameBatcher(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Queues a frame; hands a full batch to {@code sink} first if the frame would overflow it. */
  public void add(StreamFrame frame, Consumer<Buffer> sink) {
    Buffer encoded = BinaryFrameCodec.encode(frame);
    if (batch != null && batch.length() + encoded.length() > maxMessageBytes) {
      flush(sink);
    }
    if (batch == null) {
      batch = encoded;
    } else {
      batch.appendBuffer(encoded);
    }
  }

  /** Hands the queued frames, if any, to {@code sink} as one WebSocket message payload. */
  public void flush(Consumer<Buffer> sink) {
    if (batch != null) {
      Buffer message = batch;
      batch = null;
      sink.accept(message);
    }
  }

  /** Bytes queued and not yet flushed. */
  public int pendingBytes() {
    return batch == null ? 0 : batch.length();
  }
}
