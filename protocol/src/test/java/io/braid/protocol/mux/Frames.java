package io.braid.protocol.mux;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Stream frames for tests: a description that compares DATA payloads by content ({@code "DATA 1 end
 * 6869"}), and jqwik arbitraries of every frame type with values across their whole ranges.
 */
final class Frames {
  private Frames() {}

  static StreamFrame.Data data(int streamId, boolean endStream, String payloadHex) {
    return new StreamFrame.Data(streamId, endStream, Hex.buffer(payloadHex));
  }

  static String describe(StreamFrame frame) {
    if (frame instanceof StreamFrame.Data data) {
      return "DATA " + data.streamId() + (data.endStream() ? " end" : "") + " " + Hex.hex(data.payload());
    }
    return frame.toString();
  }

  static List<String> describe(List<? extends StreamFrame> frames) {
    List<String> out = new ArrayList<>(frames.size());
    for (StreamFrame frame : frames) {
      out.add(describe(frame));
    }
    return out;
  }

  /** Stream ids: mostly small, as on a real connection, but any up to 2^31-1. */
  static Arbitrary<Integer> streamIds() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(0, 20)),
        Tuple.of(1, Arbitraries.integers().between(0, StreamFrame.MAX_STREAM_ID)));
  }

  /** Any unsigned 32-bit error code, the defined ones most often. */
  static Arbitrary<Long> errorCodes() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(ErrorCode.NO_ERROR, ErrorCode.RECONNECT),
        Arbitraries.longs().between(0, 0xFFFF_FFFFL));
  }

  /** Text of any Unicode code points (no lone surrogates, which UTF-8 cannot carry). */
  static Arbitrary<String> text(int maxCodePoints) {
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
        Tuple.of(1, Arbitraries.integers().between(0, 0x10FFFF)
            .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)));
    return codePoint.list().ofMaxSize(maxCodePoints)
        .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
  }

  static Arbitrary<StreamSettings> settings() {
    return Combinators.combine(
        Arbitraries.integers().between(1, StreamSettings.MAX_WINDOW),
        Arbitraries.integers().between(1, StreamSettings.MAX_WINDOW),
        Arbitraries.integers().between(0, Integer.MAX_VALUE),
        Arbitraries.integers().between(StreamSettings.MIN_FRAME_PAYLOAD, Integer.MAX_VALUE))
        .as(StreamSettings::new);
  }

  /** Every frame type with the given DATA payloads. */
  static Arbitrary<StreamFrame> frames(Arbitrary<Buffer> payloads) {
    Arbitrary<StreamFrame> data = Combinators.combine(streamIds(), Arbitraries.of(false, true), payloads)
        .as(StreamFrame.Data::new);
    Arbitrary<StreamFrame> reset = Combinators.combine(streamIds(), errorCodes()).as(StreamFrame.Reset::new);
    Arbitrary<StreamFrame> settings = settings().map(StreamFrame.Settings::new);
    Arbitrary<StreamFrame> windowUpdate = Combinators.combine(streamIds(),
        Arbitraries.integers().between(1, StreamSettings.MAX_WINDOW)).as(StreamFrame.WindowUpdate::new);
    Arbitrary<StreamFrame> goAway = Combinators.combine(streamIds(), errorCodes(), text(12), text(12).injectNull(0.5))
        .as(StreamFrame.GoAway::new);
    return Arbitraries.frequencyOf(
        Tuple.of(5, data),
        Tuple.of(1, reset),
        Tuple.of(1, settings),
        Tuple.of(2, windowUpdate),
        Tuple.of(1, goAway));
  }

  /** Every frame type, DATA with any bytes. */
  static Arbitrary<StreamFrame> binaryFrames() {
    return frames(Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Buffer::buffer));
  }
}
