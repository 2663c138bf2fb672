package io.braid.protocol.ws;

import static io.braid.protocol.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.braid.protocol.ws.Decoding.Failure;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Text messages must be UTF-8 (RFC 6455 §5.6, §8.1), and an endpoint fails the connection with 1007
 * as soon as the byte that makes them invalid arrives: mid-frame, mid-code-point and across
 * fragments, whichever way the stream is cut into reads.
 */
class TextUtf8Test {
  private static final Failure NOT_UTF8 = new Failure(1007, "text message is not valid UTF-8");
  private static final Failure ENDS_MID_CODE_POINT = new Failure(1007, "text message ends inside a UTF-8 sequence");

  @ParameterizedTest
  @EnumSource(Role.class)
  void invalidByteFailsWith1007AtThatByte(Role role) {
    Wire wire = Wire.of(role, "81 0b 48656c6c6f ff 776f726c64"); // "Hello" 0xFF "world"
    assertThat(Decoding.failure(role, wire.bytes(), wire.payloadByte(0, 5))).isEqualTo(NOT_UTF8);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void codePointCutShortFailsAtTheByteThatCannotContinueIt(Role role) {
    Wire wire = Wire.of(role, "81 05 4869 e282 41"); // "Hi", then '€' (e2 82 ac) cut short by 'A'
    assertThat(Decoding.failure(role, wire.bytes(), wire.payloadByte(0, 4))).isEqualTo(NOT_UTF8);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void invalidByteInAContinuationFrameFailsAtThatByte(Role role) {
    Wire wire = Wire.of(role, "01 03 4869e2" // "Hi" and the first byte of '€', not final
        + "80 02 2841"); // '(' cannot continue it
    assertThat(Decoding.failure(role, wire.bytes(), wire.payloadByte(1, 0)))
        .isEqualTo(new Failure(1007, "text message is not valid UTF-8", List.of("TEXT 4869e2")));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void codePointSplitAcrossFragmentsIsAccepted(Role role) {
    Wire wire = Wire.of(role, "01 03 4869e2" // "Hi" and the first byte of '€', not final
        + "80 02 82ac"); // the rest of '€'
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("TEXT \"Hi€\"");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void textEndingInsideACodePointFailsWith1007(Role role) {
    Wire wire = Wire.of(role, "81 03 4869e2"); // "Hi" and the first byte of '€', final
    assertThat(Decoding.failure(role, wire.bytes(), wire.lastByte())).isEqualTo(ENDS_MID_CODE_POINT);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void fragmentedTextEndingInsideACodePointFailsWith1007(Role role) {
    Wire wire = Wire.of(role, "01 03 4869e2" // "Hi" and the first byte of '€', not final
        + "80 00"); // empty final continuation
    assertThat(Decoding.failure(role, wire.bytes(), wire.lastHeaderByte(1)))
        .isEqualTo(new Failure(1007, "text message ends inside a UTF-8 sequence", List.of("TEXT 4869e2")));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void surrogateFailsAtItsSecondByte(Role role) {
    Wire wire = Wire.of(role, "81 03 eda080"); // U+D800 encoded
    assertThat(Decoding.failure(role, wire.bytes(), wire.payloadByte(0, 1))).isEqualTo(NOT_UTF8);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void overlongEncodingFailsAtItsFirstImpossibleByte(Role role) {
    Wire wire = Wire.of(role, "81 02 c0af"); // '/' as an overlong 2-byte sequence
    assertThat(Decoding.failure(role, wire.bytes(), wire.payloadByte(0, 0))).isEqualTo(NOT_UTF8);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void codePointPastU10ffffFailsAtItsSecondByte(Role role) {
    Wire wire = Wire.of(role, "81 04 f4908080"); // U+110000
    assertThat(Decoding.failure(role, wire.bytes(), wire.payloadByte(0, 1))).isEqualTo(NOT_UTF8);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void invalidByteAfterALongAsciiRunFailsAtThatByte(Role role) {
    // 21 ASCII bytes so that the validator's 8-byte fast path runs, then a stray continuation byte
    Wire wire = Wire.of(role, "81 17 " + "61".repeat(21) + "80 61");
    assertThat(Decoding.failure(role, wire.bytes(), wire.payloadByte(0, 21))).isEqualTo(NOT_UTF8);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void fourByteCodePointsAreAccepted(Role role) {
    Wire wire = Wire.of(role, "81 06 f09f9880 6f6b"); // U+1F600 "ok"
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("TEXT \"\uD83D\uDE00ok\"");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void binaryMessagesAreNotValidated(Role role) {
    Wire wire = Wire.of(role, "82 03 fffe80");
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly(MessageRecorder.binary(bytes("fffe80")));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void controlFrameBetweenFragmentsDoesNotDisturbTextValidation(Role role) {
    Wire wire = Wire.of(role, "01 03 4869e2" // "Hi" and the first byte of '€', not final
        + "89 02 ffff" // a ping whose payload is not UTF-8, and need not be
        + "80 02 82ac"); // the rest of '€'
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("PING ffff", "TEXT \"Hi€\"");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void binaryMessageLeavesNoStateForTheNextTextMessage(Role role) {
    Wire wire = Wire.of(role, "02 01 e2" // binary, not final: a lead byte
        + "80 01 82" // binary, final
        + "81 01 ac"); // text: a lone continuation byte is invalid on its own
    assertThat(Decoding.failure(role, wire.bytes(), wire.payloadByte(2, 0)))
        .isEqualTo(new Failure(1007, "text message is not valid UTF-8", List.of("BINARY e2", "CONTINUATION fin 82")));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void eachTextMessageIsValidatedAfresh(Role role) {
    Wire wire = Wire.of(role, "81 02 6869" // "hi"
        + "81 03 e282ac"); // "€"
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("TEXT \"hi\"", "TEXT \"€\"");
  }
}
