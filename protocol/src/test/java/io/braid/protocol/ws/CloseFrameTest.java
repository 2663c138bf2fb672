package io.braid.protocol.ws;

import static io.braid.protocol.testing.Hex.bytes;
import static io.braid.protocol.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.braid.protocol.ws.Decoding.Failure;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Close frames (RFC 6455 §5.5.1, §7.4): no payload, or a valid 2-byte code and a UTF-8 reason; and
 * {@link CloseReason}'s encoding of them.
 */
class CloseFrameTest {
  @ParameterizedTest
  @EnumSource(Role.class)
  void emptyCloseFrameIsReportedAsNoStatus(Role role) {
    Wire wire = Wire.of(role, "88 00");
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly(MessageRecorder.close(1005, ""));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void closeCodeAndReasonAreDecoded(Role role) {
    Wire wire = Wire.of(role, "88 08 03e8 6279c3a92121"); // 1000 "byé!!"
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly(MessageRecorder.close(1000, "byé!!"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void closePayloadOfOneByteIsRejected(Role role) {
    Wire wire = Wire.of(role, "88 01 03");
    assertThat(Decoding.failure(role, wire.bytes(), wire.lastByte()))
        .isEqualTo(new Failure(1002, "close frame payload must be empty or at least 2 bytes"));
  }

  static Stream<Arguments> invalidCodes() {
    return Stream.of(Role.values()).flatMap(role ->
        IntStream.of(0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535).mapToObj(code -> Arguments.of(role, code)));
  }

  @ParameterizedTest(name = "{0} code {1}")
  @MethodSource("invalidCodes")
  void closeCodesOutsideTheValidRangesAreRejected(Role role, int code) {
    Wire wire = Wire.of(role, String.format("88 02 %04x", code));
    assertThat(Decoding.failure(role, wire.bytes(), wire.lastByte()))
        .isEqualTo(new Failure(1002, "invalid close code " + code));
  }

  static Stream<Arguments> validCodes() {
    return Stream.of(Role.values()).flatMap(role ->
        IntStream.of(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999)
            .mapToObj(code -> Arguments.of(role, code)));
  }

  @ParameterizedTest(name = "{0} code {1}")
  @MethodSource("validCodes")
  void closeCodesInTheValidRangesAreAccepted(Role role, int code) {
    Wire wire = Wire.of(role, String.format("88 04 %04x 6f6b", code)); // code, "ok"
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly(MessageRecorder.close(code, "ok"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void closeReasonMustBeUtf8(Role role) {
    Wire wire = Wire.of(role, "88 05 03e8 6279c3"); // 1000, "by" then a cut-off 2-byte sequence
    assertThat(Decoding.failure(role, wire.bytes(), wire.lastByte()))
        .isEqualTo(new Failure(1002, "close reason is not valid UTF-8"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void closeReasonMustNotContainSurrogates(Role role) {
    Wire wire = Wire.of(role, "88 05 03e8 eda080"); // 1000, U+D800 encoded
    assertThat(Decoding.failure(role, wire.bytes(), wire.lastByte()))
        .isEqualTo(new Failure(1002, "close reason is not valid UTF-8"));
  }

  @Test
  void closeReasonEncodesCodeThenUtf8Reason() {
    assertThat(hex(new CloseReason(1001, "going").toPayload())).isEqualTo("03e9" + "676f696e67");
  }

  @Test
  void noStatusEncodesAsAnEmptyPayload() {
    assertThat(CloseReason.NO_STATUS.toPayload().length()).isZero();
  }

  @Test
  void closeReasonIsCutTo123BytesOnACodePointBoundary() {
    String reason = "a".repeat(122) + "é"; // 'é' is 2 bytes: bytes 122 and 123 would split it
    byte[] payload = new CloseReason(1000, reason).toPayload().getBytes();
    assertThat(payload).hasSize(2 + 122);
    assertThat(new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)).isEqualTo("a".repeat(122));
  }

  @Test
  void closeReasonThatFitsIsKeptWhole() {
    String reason = "a".repeat(121) + "é"; // exactly 123 bytes
    assertThat(new CloseReason(1000, reason).toPayload().length()).isEqualTo(125);
  }

  @Test
  void encodedCloseFrameIsAValidControlFrame() {
    String reason = "€".repeat(60); // 180 bytes of UTF-8
    byte[] frame = FrameEncoder.server().close(1008, reason).getBytes();
    assertThat(Decoding.messages(Role.CLIENT, frame)).containsExactly(MessageRecorder.close(1008, "€".repeat(41)));
  }

  @Test
  void parsesEmptyPayloadAsNoStatus() {
    assertThat(CloseReason.parse(Buffer.buffer())).isEqualTo(CloseReason.NO_STATUS);
  }

  @Test
  void parsesCodeAndReason() {
    assertThat(CloseReason.parse(Buffer.buffer(bytes("0bb8 6869")))).isEqualTo(new CloseReason(3000, "hi"));
  }
}
