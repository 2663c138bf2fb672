package io.braid.protocol.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.braid.protocol.codec.Role;
import io.braid.protocol.testing.Splits.Split;
import io.braid.protocol.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link FrameDecoder} over a fixture under every {@link Splits split}, and asserts that every
 * split gives the same outcome: the same frames or messages, or the same failure at the same byte.
 */
final class Decoding {
  private Decoding() {}

  /** How decoding a fixture failed: the close code, its reason, and the frames emitted before. */
  record Failure(int closeCode, String reason, List<String> framesBefore) {
    Failure(int closeCode, String reason) {
      this(closeCode, reason, List.of());
    }
  }

  /** The frames decoded from {@code fixture}, the same under every split. */
  static List<String> frames(Role role, WsLimits limits, byte[] fixture) {
    AtomicReference<List<String>> first = new AtomicReference<>();
    Splits.of(fixture).forEach(split -> {
      FrameRecorder recorder = new FrameRecorder(limits);
      FrameDecoder decoder = new FrameDecoder(role, limits, recorder);
      feed(decoder, split, 0);
      agree(first, recorder.described(), split);
    });
    return first.get();
  }

  static List<String> frames(Role role, byte[] fixture) {
    return frames(role, WsLimits.DEFAULT, fixture);
  }

  /** What a {@link MessageAssembler} delivers from {@code fixture}, the same under every split. */
  static List<String> messages(Role role, WsLimits limits, byte[] fixture) {
    AtomicReference<List<String>> first = new AtomicReference<>();
    Splits.of(fixture).forEach(split -> {
      MessageRecorder recorder = new MessageRecorder(limits);
      FrameDecoder decoder = new FrameDecoder(role, limits, new MessageAssembler(recorder));
      feed(decoder, split, 0);
      agree(first, recorder.events, split);
    });
    return first.get();
  }

  static List<String> messages(Role role, byte[] fixture) {
    return messages(role, WsLimits.DEFAULT, fixture);
  }

  /**
   * Asserts that under every split the decoder fails while decoding the read that holds byte
   * {@code failingByte} and not before, then ignores the rest of that read, all later reads and a
   * valid frame after them.
   */
  static Failure failure(Role role, WsLimits limits, byte[] fixture, int failingByte) {
    AtomicReference<Failure> first = new AtomicReference<>();
    Splits.of(fixture).forEach(split -> {
      FrameRecorder recorder = new FrameRecorder(limits);
      FrameDecoder decoder = new FrameDecoder(role, limits, recorder);
      int expectedPiece = split.pieceOf(failingByte);
      WsProtocolException error = null;
      int piece = 0;
      for (; piece < split.pieces().size(); piece++) {
        try {
          decoder.decode(split.pieces().get(piece));
        } catch (WsProtocolException e) {
          error = e;
          break;
        }
      }
      if (error == null) {
        fail("decoded without a protocol error, split into %s; frames: %s", split, recorder.described());
      }
      assertThat(piece)
          .as("the read that failed, split into %s (the byte at %d is in read %d)", split, failingByte, expectedPiece)
          .isEqualTo(expectedPiece);
      Failure failure = new Failure(error.closeCode(), error.reason(), recorder.described());

      for (piece++; piece < split.pieces().size(); piece++) {
        decoder.decode(split.pieces().get(piece));
      }
      decoder.decode(validFrameFor(role));
      assertThat(recorder.described()).as("frames after the failure").isEqualTo(failure.framesBefore());
      agree(first, failure, split);
    });
    return first.get();
  }

  static Failure failure(Role role, byte[] fixture, int failingByte) {
    return failure(role, WsLimits.DEFAULT, fixture, failingByte);
  }

  /** A valid text frame as the peer of {@code role} sends it. */
  static Buffer validFrameFor(Role role) {
    return FrameEncoder.forRole(role == Role.SERVER ? Role.CLIENT : Role.SERVER).text("ok");
  }

  private static void feed(FrameDecoder decoder, Split split, int from) {
    for (int i = from; i < split.pieces().size(); i++) {
      try {
        decoder.decode(split.pieces().get(i));
      } catch (WsProtocolException e) {
        throw new AssertionError("unexpected " + e.closeCode() + " '" + e.reason() + "' in read " + i + " of " + split, e);
      }
    }
  }

  private static <T> void agree(AtomicReference<T> first, T outcome, Split split) {
    if (!first.compareAndSet(null, outcome)) {
      assertThat(outcome).as("outcome when split into %s", split).isEqualTo(first.get());
    }
  }
}
