package io.braid.bench.jmh;

import io.braid.protocol.ws.FrameDecoder;
import io.braid.protocol.ws.FrameSink;
import io.braid.protocol.ws.Role;
import io.braid.protocol.ws.WsFrame;
import io.braid.protocol.ws.WsLimits;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Braid's {@link FrameDecoder} in the server role, delivering each frame's payload to a
 * {@link Blackhole}. The decoder validates UTF-8 of text frames itself, so no second stage exists.
 *
 * <p>Not thread safe: one instance per benchmark thread.
 */
final class BraidDecoding implements FrameSink {
  private final FrameDecoder decoder;
  private Blackhole bh;
  private int frames;
  private List<byte[]> collected;

  BraidDecoding(int maxFramePayload) {
    decoder = new FrameDecoder(Role.SERVER, new WsLimits(maxFramePayload, maxFramePayload), this);
  }

  /**
   * Decodes all of {@code input} (never modified by the decoder) and consumes each frame's payload.
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
