package io.braid.protocol.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Untrusted bytes: whatever arrives, the decoder ends each read, fails only with its own
 * {@link WsProtocolException}, never emits a frame or message past the limits, and fails a frame or
 * message that declares too much before its payload arrives.
 */
class FrameDecoderFuzzPropertyTest {
  private static final WsLimits LIMITS = new WsLimits(1024, 4096);

  /**
   * Feeds {@code stream} in reads of {@code chunk} bytes to a decoder and assembler that check the
   * limits on everything they emit; returns the protocol error, or null.
   */
  static WsProtocolException decodeUntrusted(Role role, byte[] stream, int chunk) {
    FrameRecorder frames = new FrameRecorder(LIMITS);
    MessageAssembler assembler = new MessageAssembler(new MessageRecorder(LIMITS));
    FrameDecoder decoder = new FrameDecoder(role, LIMITS, frame -> {
      frames.onFrame(frame);
      assembler.onFrame(frame);
    });
    Buffer all = Buffer.buffer(stream);
    return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      WsProtocolException error = null;
      for (int start = 0; start < stream.length; start += chunk) {
        Buffer read = all.slice(start, Math.min(stream.length, start + chunk));
        if (error == null) {
          try {
            decoder.decode(read);
          } catch (WsProtocolException e) {
            error = e;
          }
        } else {
          int before = frames.frames.size();
          decoder.decode(read); // ignored after the failure
          assertThat(frames.frames).hasSize(before);
        }
      }
      return error;
    }, "decoding " + stream.length + " bytes did not end");
  }

  private static void assertOnlyProtocolErrors(WsProtocolException error) {
    if (error != null) {
      assertThat(error.closeCode()).isIn(1002, 1007, 1009);
      assertThat(error.reason()).isNotBlank();
      assertThat(error.reason().getBytes(StandardCharsets.UTF_8).length)
          .as("reason fits a close frame").isLessThanOrEqualTo(123);
    }
  }

  @Property(tries = 1000)
  void randomBytesOnlyEverFailWithAProtocolError(
      @ForAll Role role, @ForAll @Size(max = 2000) byte[] stream, @ForAll @IntRange(min = 1, max = 300) int chunk) {
    assertOnlyProtocolErrors(decodeUntrusted(role, stream, chunk));
  }

  /**
   * Random bytes mostly fail at the first header; valid streams with a few bytes overwritten reach
   * every state of the decoder before going wrong.
   */
  @Provide
  static Arbitrary<byte[]> corruptedStreams() {
    return Combinators.combine(Arbitraries.of(Role.values()), Arbitraries.integers().between(0, 8), Arbitraries.longs())
        .as((sender, corruptions, seed) -> {
          Random random = new Random(seed);
          FrameEncoder encoder = FrameEncoder.forRole(sender);
          Buffer stream = Buffer.buffer();
          int frames = 1 + random.nextInt(8);
          for (int i = 0; i < frames; i++) {
            int[] opcodes = {Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION, Opcode.PING, Opcode.PONG, Opcode.CLOSE};
            int opcode = opcodes[random.nextInt(opcodes.length)];
            int[] lengths = {0, 1, 2, 125, 126, 1024, 1025, 4097, random.nextInt(200)};
            int length = lengths[random.nextInt(lengths.length)];
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            stream.appendBuffer(encoder.encode(opcode, random.nextInt(4) > 0, Buffer.buffer(payload)));
          }
          byte[] bytes = stream.getBytes();
          for (int i = 0; i < corruptions && bytes.length > 0; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          }
          return bytes;
        });
  }

  @Property(tries = 1000)
  void corruptedStreamsOnlyEverFailWithAProtocolError(
      @ForAll Role role, @ForAll("corruptedStreams") byte[] stream, @ForAll @IntRange(min = 1, max = 300) int chunk) {
    assertOnlyProtocolErrors(decodeUntrusted(role, stream, chunk));
  }

  /** The header of a binary frame declaring {@code length} bytes, in the shortest form, for {@code role}. */
  static Buffer header(Role role, long length) {
    int mask = role == Role.SERVER ? 0x80 : 0;
    Buffer header = Buffer.buffer().appendByte((byte) 0x82);
    if (length <= 125) {
      header.appendByte((byte) (mask | length));
    } else if (length <= 0xFFFF) {
      header.appendByte((byte) (mask | 126)).appendUnsignedShort((int) length);
    } else {
      header.appendByte((byte) (mask | 127)).appendLong(length);
    }
    return role == Role.SERVER ? header.appendInt(Wire.RFC_MASK_KEY) : header;
  }

  @Property(tries = 300)
  void frameDeclaringMoreThanTheLimitFailsWith1009BeforeItsPayload(
      @ForAll Role role, @ForAll @LongRange(min = 1025, max = Long.MAX_VALUE) long declared,
      @ForAll @IntRange(min = 0, max = 2000) int sent) {
    List<WsFrame> frames = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(role, LIMITS, frames::add);
    Buffer header = header(role, declared);

    assertThatThrownBy(() -> decoder.decode(header))
        .isInstanceOfSatisfying(WsProtocolException.class, e -> {
          assertThat(e.closeCode()).isEqualTo(1009);
          assertThat(e.reason()).isEqualTo("frame payload of " + declared + " bytes exceeds the limit of 1024");
        });
    decoder.decode(Buffer.buffer(new byte[sent]));
    assertThat(frames).isEmpty();
  }

  @Property(tries = 300)
  void messagePastTheLimitFailsWith1009AtTheHeaderOfTheFragmentThatCrossesIt(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 1024) Integer> fragmentLengths, @ForAll Role role) {
    FrameEncoder encoder = FrameEncoder.forRole(role == Role.SERVER ? Role.CLIENT : Role.SERVER);
    List<WsFrame> frames = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(role, LIMITS, frames::add);
    int total = 0;
    for (int i = 0; i < fragmentLengths.size(); i++) {
      int length = fragmentLengths.get(i);
      Buffer frame = encoder.encode(i == 0 ? Opcode.BINARY : Opcode.CONTINUATION, false, Buffer.buffer(new byte[length]));
      int headerLength = frame.length() - length;
      total += length;
      if (total <= LIMITS.maxMessageSize()) {
        decoder.decode(frame);
        assertThat(frames).hasSize(i + 1);
        continue;
      }
      Buffer headerOnly = frame.slice(0, headerLength);
      int expectedTotal = total;
      assertThatThrownBy(() -> decoder.decode(headerOnly))
          .isInstanceOfSatisfying(WsProtocolException.class, e -> {
            assertThat(e.closeCode()).isEqualTo(1009);
            assertThat(e.reason()).isEqualTo("message of at least " + expectedTotal + " bytes exceeds the limit of 4096");
          });
      assertThat(frames).hasSize(i);
      return;
    }
  }
}
