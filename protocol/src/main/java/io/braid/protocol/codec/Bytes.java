package io.braid.protocol.codec;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Buffer helpers shared by the codecs. */
public final class Bytes {
  private Bytes() {}

  /**
   * Wraps {@code bytes} as a Buffer without copying ({@code Buffer.buffer(byte[])} copies). The
   * caller gives up the array.
   */
  public static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }
}
