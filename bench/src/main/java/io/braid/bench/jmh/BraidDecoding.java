package io.braid.bench.jmh;

import io.braid.protocol.codec.Role;
import io.braid.protocol.ws.FrameDecoder;
import io.braid.protocol.ws.FrameSink;
import io.braid.protocol.ws.WsFrame;
import io.braid.protocol.ws.WsLimits;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Braid's {@link FrameDecoder} in the server role, delivering each frame's payload to a
 * {@link Blackhole}. The decoder validates UTF-8 of text frames itself, so no second stage exists.
 *
 * <p>Two modes, as the decoder has them:
 *
 * <ul>
 *   <li>{@link #copying}: {@code new FrameDecoder(...)} copies every payload out of its input, which
 *       it never modifies, so one input buffer serves every operation;
 *   <li>{@link #inPlace}: {@code FrameDecoder.unmaskingInPlace(...)}, what Braid's server and client
 *       use, unmasks payloads inside its input and delivers slices, so it must own the input. Each
 *       operation therefore first makes the private heap copy that a Vert.x {@code NetSocket} makes
 *       of every read before its handler sees it ({@code VertxHandler.safeBuffer}: a buffer from
 *       {@code VertxByteBufAllocator.DEFAULT.heapBuffer} and one copy), and that copy is counted.
 * </ul>
 *
 * <p>Not thread safe: one instance per benchmark thread.
 */
final class BraidDecoding implements FrameSink {
  private final FrameDecoder decoder;
  private Blackhole bh;
  private int frames;
  private List<byte[]> collected;

  private BraidDecoding(boolean inPlace, int maxFramePayload) {
    WsLimits limits = new WsLimits(maxFramePayload, maxFramePayload);
    decoder = inPlace
        ? FrameDecoder.unmaskingInPlace(Role.SERVER, limits, this)
        : new FrameDecoder(Role.SERVER, limits, this);
  }

  static BraidDecoding copying(int maxFramePayload) {
    return new BraidDecoding(false, maxFramePayload);
  }

  static BraidDecoding inPlace(int maxFramePayload) {
    return new BraidDecoding(true, maxFramePayload);
  }

  /** A private heap copy of {@code wire}, made the way a Vert.x {@code NetSocket} copies each read. */
  static Buffer privateCopy(byte[] wire) {
    ByteBuf copy = VertxByteBufAllocator.DEFAULT.heapBuffer(wire.length);
    copy.writeBytes(wire);
    return BufferInternal.buffer(copy);
  }

  /**
   * Decodes all of {@code input} and consumes each frame's payload. A copying decoder leaves the
   * input as it was; an in-place one must be given a buffer nobody else uses.
   *
   * @return the number of frames decoded
   */
  int decode(Buffer input, Blackhole bh) {
    this.bh = bh;
    frames = 0;
    decoder.decode(input);
    return frames;
  }

  @Override
  public void onFrame(WsFrame frame) {
    frames++;
    if (collected != null) {
      collected.add(frame.payload().getBytes());
    } else {
      bh.consume(frame.payload());
    }
  }

  /** Decodes {@code input} and returns copies of the payloads delivered, for checking the fixture. */
  List<byte[]> decodeToArrays(Buffer input) {
    collected = new ArrayList<>();
    try {
      decoder.decode(input);
      return collected;
    } finally {
      collected = null;
    }
  }
}
