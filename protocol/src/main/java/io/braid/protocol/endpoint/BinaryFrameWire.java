package io.braid.protocol.endpoint;

import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.FrameBatcher;
import io.braid.protocol.mux.StreamFrame;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** {@code braid.v1}: binary messages, each a batch of whole frames written during one turn. */
final class BinaryFrameWire implements FrameWire {

  /** The largest batch: several frames share a message up to here (a bigger single frame goes alone). */
  static final int MAX_BATCH_BYTES = 64 * 1024;

  private final BinaryFrameCodec codec;
  private final FrameBatcher batcher = new FrameBatcher(MAX_BATCH_BYTES);
  private final Consumer<Buffer> send;
  private final Executor flushLater;
  private final Runnable flush = this::flush;
  private boolean flushScheduled;

  BinaryFrameWire(int maxFramePayload, WebSocketOut out, Executor flushLater) {
    this.codec = new BinaryFrameCodec(maxFramePayload);
    this.send = message -> out.send(false, message);
    this.flushLater = flushLater;
  }

  @Override
  public void decode(boolean text, Buffer message, Consumer<StreamFrame> sink) {
    if (text) {
      throw new WrongMessageKind("braid.v1 carries binary messages only");
    }
    codec.decode(message, sink);
  }

  @Override
  public void write(StreamFrame frame) {
    batcher.add(frame, send);
    if (!flushScheduled) {
      flushScheduled = true;
      flushLater.execute(flush);
    }
  }

  @Override
  public void flush() {
    flushScheduled = false;
    batcher.flush(send);
  }

  @Override
  public int sizeOf(StreamFrame.Data frame) {
    return frame.payload().length();
  }
}
