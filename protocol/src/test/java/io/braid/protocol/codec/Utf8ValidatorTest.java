package io.braid.protocol.codec;

import static io.braid.protocol.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental UTF-8 validator (RFC 3629 §3-4): well-formed sequences only, and the failure
 * reported at the first byte that no continuation can make valid.
 */
class Utf8ValidatorTest {
  /** Feeds {@code hex} one byte at a time; the index of the byte that failed, or -1. */
  private static int failingByte(String hex) {
    byte[] bytes = bytes(hex);
    Utf8Validator validator = new Utf8Validator();
    for (int i = 0; i < bytes.length; i++) {
      if (!validator.update(bytes, i, 1)) {
        return i;
      }
    }
    return -1;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "24", // U+0024 '$'
    "c2a2", // U+00A2
    "e282ac", // U+20AC
    "ed9fbf", // U+D7FF, the last code point before the surrogates
    "ee8080", // U+E000, the first after them
    "efbfbf", // U+FFFF
    "f0908d88", // U+10348
    "f48fbfbf", // U+10FFFF, the last code point
    "00", // U+0000 is a character like any other
  })
  void acceptsWellFormedSequences(String hex) {
    assertThat(Utf8Validator.isValid(bytes(hex), 0, bytes(hex).length)).isTrue();
  }

  @ParameterizedTest(name = "{0} fails at byte {1}")
  @CsvSource({
    "eda080, 1", // U+D800: surrogates are not characters
    "edbfbf, 1", // U+DFFF
    "c0af, 0", // overlong '/': C0 never starts a sequence
    "c1bf, 0", // overlong: neither does C1
    "e080af, 1", // overlong '/' in three bytes
    "f08282ac, 1", // overlong '€' in four bytes
    "f4908080, 1", // U+110000, past the last code point
    "f5808080, 0", // F5..FF never appear in UTF-8
    "ff, 0",
    "80, 0", // a continuation byte without a lead byte
    "e28241, 2", // '€' cut short by 'A'
    "6162636465666768 696a6b6c6d6e6f70 80, 16", // after 16 ASCII bytes (the word-at-a-time path)
  })
  void rejectsAtTheFirstImpossibleByte(String hex, int index) {
    assertThat(failingByte(hex)).isEqualTo(index);
    assertThat(Utf8Validator.isValid(bytes(hex), 0, bytes(hex).length)).isFalse();
  }

  @Test
  void incompleteSequenceIsNotYetFailedButNotComplete() {
    Utf8Validator validator = new Utf8Validator();
    assertThat(validator.update(bytes("e282"), 0, 2)).isTrue();
    assertThat(validator.isComplete()).isFalse();
    assertThat(validator.isFailed()).isFalse();

    assertThat(validator.update(bytes("ac"), 0, 1)).isTrue();
    assertThat(validator.isComplete()).isTrue();
  }

  @Test
  void staysFailedUntilReset() {
    Utf8Validator validator = new Utf8Validator();
    assertThat(validator.update(bytes("ff"), 0, 1)).isFalse();
    assertThat(validator.update(bytes("61"), 0, 1)).isFalse();
    assertThat(validator.isFailed()).isTrue();
    assertThat(validator.isComplete()).isFalse();

    validator.reset();

    assertThat(validator.update(bytes("61"), 0, 1)).isTrue();
    assertThat(validator.isComplete()).isTrue();
  }

  @Test
  void resetForgetsAnIncompleteSequence() {
    Utf8Validator validator = new Utf8Validator();
    validator.update(bytes("e2"), 0, 1);
    validator.reset();
    assertThat(validator.isComplete()).isTrue();
  }

  @Test
  void acceptsTextFedInEveryPairOfPieces() {
    byte[] text = "aé€😀 ok 日本語 \uD83D\uDE00!".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= text.length; cut++) {
      Utf8Validator validator = new Utf8Validator();
      assertThat(validator.update(text, 0, cut)).as("first %d bytes", cut).isTrue();
      assertThat(validator.update(text, cut, text.length - cut)).as("rest from %d", cut).isTrue();
      assertThat(validator.isComplete()).isTrue();
    }
  }

  @Test
  void validatesOnlyTheGivenRange() {
    byte[] bytes = bytes("ff 6869 ff"); // invalid bytes around "hi"
    assertThat(Utf8Validator.isValid(bytes, 1, 2)).isTrue();
  }

  @Test
  void emptyInputIsValid() {
    assertThat(Utf8Validator.isValid(new byte[0], 0, 0)).isTrue();
  }
}
