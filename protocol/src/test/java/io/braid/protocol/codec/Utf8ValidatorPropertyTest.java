package io.braid.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The validator agrees with the JDK's strict UTF-8 decoder (malformed input reported, not replaced)
 * on any input, in any pieces, and fails exactly at the first byte that no continuation can rescue.
 */
class Utf8ValidatorPropertyTest {
  /** The bytes that sit on the edges of UTF-8's rules. */
  private static final int[] EDGE_BYTES = {
    0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
    0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF,
  };

  static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * Whether some continuation makes {@code prefix} valid: at most three more bytes, and for each
   * the smallest continuation byte that every lead byte's second-byte range admits (80 after ED and
   * F4, 90 after F0, A0 after E0).
   */
  static boolean canStillBecomeValid(byte[] prefix) {
    int[] candidates = {0x80, 0x90, 0xA0};
    for (int extra = 0; extra <= 3; extra++) {
      int combinations = (int) Math.pow(candidates.length, extra);
      for (int c = 0; c < combinations; c++) {
        byte[] candidate = Arrays.copyOf(prefix, prefix.length + extra);
        for (int i = 0, rest = c; i < extra; i++, rest /= candidates.length) {
          candidate[prefix.length + i] = (byte) candidates[rest % candidates.length];
        }
        if (jdkAccepts(candidate)) {
          return true;
        }
      }
    }
    return false;
  }

  @Provide
  static Arbitrary<Integer> codePoints() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(0, 0x7F)),
        Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
        Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF).filter(c -> c < 0xD800 || c > 0xDFFF)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)),
        Tuple.of(1, Arbitraries.of(0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF, 0x80, 0x7FF, 0x800)));
  }

  /** Valid text built from code points of every encoded length, including 4-byte ones. */
  @Provide
  static Arbitrary<String> texts() {
    return codePoints().list().ofMaxSize(40).map(cps -> {
      StringBuilder sb = new StringBuilder();
      cps.forEach(sb::appendCodePoint);
      return sb.toString();
    });
  }

  /** Mostly-UTF-8: whole code points, cut-off code points and edge bytes, in any order. */
  @Provide
  static Arbitrary<byte[]> almostUtf8() {
    Arbitrary<byte[]> whole = codePoints().map(cp -> new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> cutOff = whole.filter(b -> b.length > 1).map(b -> Arrays.copyOf(b, b.length - 1));
    Arbitrary<byte[]> edge = Arbitraries.of(IntStream.of(EDGE_BYTES).boxed().toList()).map(b -> new byte[] {(byte) (int) b});
    Arbitrary<byte[]> any = Arbitraries.bytes().map(b -> new byte[] {b});
    return Arbitraries.frequencyOf(Tuple.of(6, whole), Tuple.of(1, cutOff), Tuple.of(2, edge), Tuple.of(1, any))
        .list().ofMaxSize(24)
        .map(pieces -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          pieces.forEach(out::writeBytes);
          return out.toByteArray();
        });
  }

  @Property(tries = 2000)
  void agreesWithTheJdkDecoder(@ForAll("almostUtf8") byte[] bytes) {
    assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isEqualTo(jdkAccepts(bytes));
  }

  @Property(tries = 1000)
  void agreesWithTheJdkDecoderOnUniformlyRandomBytes(@ForAll @Size(max = 24) byte[] bytes) {
    assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isEqualTo(jdkAccepts(bytes));
  }

  @Property(tries = 1000)
  void agreesWithTheJdkDecoderFedInAnyPieces(
      @ForAll("almostUtf8") byte[] bytes, @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 100) Integer> cuts) {
    Utf8Validator validator = new Utf8Validator();
    boolean ok = true;
    int start = 0;
    for (int cut : cuts.stream().map(c -> Math.min(c, bytes.length)).sorted().toList()) {
      ok &= validator.update(bytes, start, cut - start);
      start = cut;
    }
    ok &= validator.update(bytes, start, bytes.length - start);
    assertThat(ok && validator.isComplete()).isEqualTo(jdkAccepts(bytes));
  }

  @Property(tries = 1000)
  void acceptsEveryValidString(@ForAll("texts") String text, @ForAll @IntRange(min = 0, max = 200) int cut) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int at = Math.min(cut, utf8.length);
    Utf8Validator validator = new Utf8Validator();
    assertThat(validator.update(utf8, 0, at)).isTrue();
    assertThat(validator.update(utf8, at, utf8.length - at)).isTrue();
    assertThat(validator.isComplete()).isTrue();
  }

  @Property(tries = 1000)
  void failsExactlyAtTheFirstByteNoContinuationCanRescue(@ForAll("almostUtf8") byte[] bytes) {
    Utf8Validator validator = new Utf8Validator();
    int failedAt = -1;
    for (int i = 0; i < bytes.length && failedAt < 0; i++) {
      if (!validator.update(bytes, i, 1)) {
        failedAt = i;
      }
    }
    if (failedAt < 0) {
      assertThat(canStillBecomeValid(bytes)).as("accepted input can still become valid").isTrue();
      assertThat(validator.isComplete()).isEqualTo(jdkAccepts(bytes));
    } else {
      assertThat(canStillBecomeValid(Arrays.copyOf(bytes, failedAt)))
          .as("the input before byte %d could still become valid", failedAt).isTrue();
      assertThat(canStillBecomeValid(Arrays.copyOf(bytes, failedAt + 1)))
          .as("the input up to byte %d can no longer become valid", failedAt).isFalse();
    }
  }
}
