package io.braid.protocol.ws.deflate;

import io.braid.protocol.codec.Bytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** An output array that zlib writes into and that grows by doubling, up to a cap. */
final class GrowableBytes {
  byte[] bytes;
  int length;
  private final int cap;

  GrowableBytes(int initial, int cap) {
    this.cap = cap;
    this.bytes = new byte[Math.max(1, Math.min(initial, cap))];
  }

  int room() {
    return bytes.length - length;
  }

  /** Whether it can still grow: it is below its cap. */
  boolean canGrow() {
    return bytes.length < cap;
  }

  void grow() {
    bytes = Arrays.copyOf(bytes, (int) Math.min(cap, Math.max(16L, bytes.length * 2L)));
  }

  /** The bytes written, without a copy when little of the array is unused. */
  Buffer toBuffer() {
    if (length == bytes.length) {
      return Bytes.wrap(bytes);
    }
    if (length >= bytes.length - (bytes.length >> 2)) {
      return Bytes.wrap(bytes).slice(0, length);
    }
    return Bytes.wrap(Arrays.copyOf(bytes, length));
  }

  /** The readable bytes of {@code buffer} as a NIO view, without a copy for heap buffers. */
  static ByteBuffer view(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf().nioBuffer();
  }
}
