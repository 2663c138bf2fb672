package io.braid.protocol.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.testing.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time masking transform equals RFC 6455 §5.3 applied one byte at a time
 * ({@link NaiveMasking}), whatever the length, array offset and key phase.
 */
class MaskingTest {
  private static final int[] KEYS = {0x37fa213d, 0x00000000, 0xffffffff, 0x80000001, 0x01020304, 0xdeadbeef};
  private static final int GUARD = 16;

  @Test
  void wordAtATimeEqualsByteAtATimeForEveryLengthOffsetAndPhase() {
    Random random = new Random(6455);
    for (int key : KEYS) {
      for (int length = 0; length <= 64; length++) {
        for (int offset = 0; offset <= 9; offset++) {
          for (long payloadIndex : new long[] {0, 1, 2, 3, 4, 5, 6, 7, (1L << 32) + 1, Long.MAX_VALUE - 2}) {
            byte[] input = new byte[GUARD + offset + length + GUARD];
            random.nextBytes(input);
            byte[] expected = input.clone();
            byte[] actual = input.clone();

            NaiveMasking.mask(expected, GUARD + offset, length, key, payloadIndex);
            Masking.mask(actual, GUARD + offset, length, key, payloadIndex);

            assertThat(actual)
                .as("key %08x, length %d, offset %d, payloadIndex %d", key, length, offset, payloadIndex)
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void maskingTwiceRestoresTheInput() {
    byte[] original = new byte[1000];
    new Random(1).nextBytes(original);
    byte[] bytes = original.clone();

    Masking.mask(bytes, 0, bytes.length, 0x37fa213d, 0);
    assertThat(bytes).isNotEqualTo(original);
    Masking.mask(bytes, 0, bytes.length, 0x37fa213d, 0);

    assertThat(bytes).isEqualTo(original);
  }

  /** How the decoder unmasks a payload that arrives in several reads. */
  @Test
  void unmaskingInPiecesEqualsUnmaskingAtOnce() {
    byte[] original = new byte[100];
    new Random(2).nextBytes(original);
    byte[] atOnce = original.clone();
    Masking.mask(atOnce, 0, atOnce.length, 0xdeadbeef, 0);

    for (int cut = 0; cut <= original.length; cut++) {
      byte[] inPieces = original.clone();
      Masking.mask(inPieces, 0, cut, 0xdeadbeef, 0);
      Masking.mask(inPieces, cut, original.length - cut, 0xdeadbeef, cut);
      assertThat(inPieces).as("cut at %d", cut).isEqualTo(atOnce);
    }
  }

  @Test
  void rfcExampleKeyMasksHello() {
    byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
    Masking.mask(hello, 0, hello.length, Wire.RFC_MASK_KEY, 0);
    assertThat(Hex.hex(hello)).isEqualTo("7f9f4d5158"); // RFC 6455 §5.7
  }
}
