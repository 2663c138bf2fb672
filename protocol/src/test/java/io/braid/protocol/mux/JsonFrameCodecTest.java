package io.braid.protocol.mux;

import static io.braid.protocol.mux.Frames.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON stream-frame format of {@code braid.v1.json}: one frame per text message, one JSON object
 * per frame. A DATA frame's payload is the exact text of its {@code "message"} object; every
 * malformed frame is a {@link StreamLayerException} PROTOCOL_ERROR whose reason names the field.
 */
class JsonFrameCodecTest {
  private static final JsonFrameCodec CODEC = new JsonFrameCodec(StreamSettings.DEFAULTS.maxFramePayload());

  static StreamFrame decode(String json) {
    return CODEC.decode(Buffer.buffer(json, "UTF-8"));
  }

  static StreamLayerException failure(String json) {
    return failure(Buffer.buffer(json, "UTF-8"));
  }

  static StreamLayerException failure(Buffer text) {
    try {
      StreamFrame frame = CODEC.decode(text);
      throw new AssertionError("decoded " + describe(frame) + " from " + text);
    } catch (StreamLayerException e) {
      return e;
    }
  }

  static void assertProtocolError(String json, String reason) {
    StreamLayerException e = failure(json);
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
  }

  static StreamFrame.Data data(int streamId, boolean end, String message) {
    return new StreamFrame.Data(streamId, end, Buffer.buffer(message, "UTF-8"));
  }

  // Vectors: the text encode writes, which decode reads back

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of(data(1, false, "{\"type\":\"subscribe\"}"),
            "{\"stream\":1,\"frame\":\"data\",\"end\":false,\"message\":{\"type\":\"subscribe\"}}"),
        Arguments.of(data(3, true, "{}"),
            "{\"stream\":3,\"frame\":\"data\",\"end\":true,\"message\":{}}"),
        Arguments.of(new StreamFrame.Reset(1, ErrorCode.CANCEL),
            "{\"stream\":1,\"frame\":\"reset\",\"error\":\"cancel\"}"),
        Arguments.of(new StreamFrame.Reset(1, 300), // an undefined code travels as its number
            "{\"stream\":1,\"frame\":\"reset\",\"error\":\"error_300\"}"),
        Arguments.of(new StreamFrame.Settings(StreamSettings.DEFAULTS),
            "{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"initialStreamWindow\":32,"
                + "\"initialConnectionWindow\":256,\"maxConcurrentStreams\":100,\"maxFramePayload\":1048576}}"),
        Arguments.of(new StreamFrame.WindowUpdate(0, 16),
            "{\"stream\":0,\"frame\":\"window_update\",\"increment\":16}"),
        Arguments.of(new StreamFrame.GoAway(7, ErrorCode.NO_ERROR, "restart", "b:8080"),
            "{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":7,\"error\":\"no_error\",\"reason\":\"restart\","
                + "\"serverReference\":\"b:8080\"}"),
        Arguments.of(new StreamFrame.GoAway(0, ErrorCode.RECONNECT, "say \"bye\" é", null),
            "{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":0,\"error\":\"reconnect\",\"reason\":\"say \\\"bye\\\" é\"}"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("vectors")
  void encodeWritesTheVector(StreamFrame frame, String json) {
    assertThat(JsonFrameCodec.encode(frame).toString(StandardCharsets.UTF_8)).isEqualTo(json);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("vectors")
  void decodeReadsTheVector(StreamFrame frame, String json) {
    assertThat(describe(decode(json))).isEqualTo(describe(frame));
  }

  @Test
  void everyErrorCodeNameRoundTrips() {
    for (long code = ErrorCode.NO_ERROR; code <= ErrorCode.RECONNECT + 2; code++) {
      StreamFrame reset = new StreamFrame.Reset(9, code);
      assertThat(decode(JsonFrameCodec.encode(reset).toString())).isEqualTo(reset);
    }
    StreamFrame largest = new StreamFrame.Reset(9, 0xFFFF_FFFFL);
    assertThat(JsonFrameCodec.encode(largest).toString()).contains("\"error_4294967295\"");
    assertThat(decode(JsonFrameCodec.encode(largest).toString())).isEqualTo(largest);
  }

  // Defaults and freedom of form

  @Test
  void frameIsDataAndEndIsFalseUnlessSaid() {
    assertThat(describe(decode("{\"stream\":5,\"message\":{\"a\":1}}"))).isEqualTo(describe(data(5, false, "{\"a\":1}")));
  }

  @Test
  void fieldsMayComeInAnyOrderWithAnyWhitespace() {
    String json = " {\n  \"message\" : {\"a\":1} ,\t\"end\":true , \"stream\" : 3 }\r\n";
    assertThat(describe(decode(json))).isEqualTo(describe(data(3, true, "{\"a\":1}")));
  }

  @Test
  void settingsNotGivenAreTheDefaults() {
    assertThat(decode("{\"stream\":0,\"frame\":\"settings\"}")).isEqualTo(new StreamFrame.Settings(StreamSettings.DEFAULTS));
    assertThat(decode("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"initialStreamWindow\":64}}"))
        .isEqualTo(new StreamFrame.Settings(new StreamSettings(64, 256, 100, 1 << 20)));
  }

  @Test
  void unknownSettingsAreIgnored() {
    assertThat(decode("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"future\":{\"x\":[1,2]},\"later\":7,"
        + "\"maxConcurrentStreams\":0}}"))
        .isEqualTo(new StreamFrame.Settings(new StreamSettings(32, 256, 0, 1 << 20)));
  }

  @Test
  void goAwayReasonDefaultsToEmptyAndServerReferenceToNone() {
    assertThat(decode("{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":3,\"error\":\"internal_error\"}"))
        .isEqualTo(new StreamFrame.GoAway(3, ErrorCode.INTERNAL_ERROR, "", null));
  }

  // The DATA payload is the message object's exact text

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{\"type\":\"publish\",\"text\":\"a } b { c ] [\"}", // braces and brackets inside strings
      "{\"q\":\"say \\\"hi\\\" \\\\ \\\"}\\\" done\"}", // escaped quotes and backslashes, an escaped quote before a brace
      "{\"u\":\"\\u00e9\\ud83d\\ude00\\u007d\",\"raw\":\"é😀ℤ\"}", // \\u escapes (one of a brace) and raw UTF-8
      "{ \"nested\" : { \"a\" : [ 1 , { \"b\" : \"}\" } ] } ,\n\t\"x\" : null }", // whitespace inside is kept
      "{\"a\":[[[]]],\"b\":{\"c\":{\"d\":{}}},\"n\":-1.5e3,\"t\":true}"})
  void dataPayloadIsTheMessageObjectsExactText(String message) {
    for (String json : new String[] {
        "{\"stream\":1,\"message\":" + message + "}",
        "{\"message\":" + message + ",\"stream\":1,\"end\":true}",
        "{\"stream\":1,\"message\":  " + message + "  ,\"frame\":\"data\"}"}) {
      StreamFrame.Data data = (StreamFrame.Data) decode(json);
      assertThat(data.payload().toString(StandardCharsets.UTF_8)).as(json).isEqualTo(message);
    }
  }

  @Test
  void dataPayloadIsASliceOfTheText() {
    Buffer text = Buffer.buffer("{\"stream\":1,\"message\":{\"a\":1}}");
    StreamFrame.Data data = (StreamFrame.Data) CODEC.decode(text);
    text.setByte(text.length() - 3, (byte) '2');
    assertThat(data.payload().toString()).isEqualTo("{\"a\":2}");
  }

  @Test
  void encodeSplicesTheMessageTextVerbatim() {
    String message = "{ \"a\" : \"\\u00e9 é\" }";
    assertThat(JsonFrameCodec.encode(data(1, true, message)).toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"stream\":1,\"frame\":\"data\",\"end\":true,\"message\":" + message + "}");
  }

  // Malformed

  @ParameterizedTest
  @ValueSource(strings = {"hello", "{\"stream\":1,", "{\"stream\":1,\"message\":{}", "{stream:1}", "{\"stream\":01}",
      "{\"stream\":1} x", "{'stream':1}"})
  void textThatIsNotJsonIsAProtocolError(String text) {
    StreamLayerException e = failure(text);
    assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e.reason()).startsWith("not valid JSON: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "[]", "[{\"stream\":1,\"message\":{}}]", "1", "\"frame\"", "null", "true"})
  void frameMustBeAJsonObject(String text) {
    assertProtocolError(text, "a frame must be a JSON object");
  }

  @Test
  void nothingMayFollowTheFrameObject() {
    assertProtocolError("{\"stream\":1,\"message\":{}}{}", "unexpected content after the frame object");
    assertProtocolError("{\"stream\":1,\"message\":{}} 7", "unexpected content after the frame object");
  }

  @Test
  void streamIsRequired() {
    assertProtocolError("{\"frame\":\"reset\",\"error\":\"cancel\"}", "frame.stream: missing");
  }

  static Stream<Arguments> missingFields() {
    return Stream.of(
        Arguments.of("{\"stream\":1}", "frame.message: missing in a data frame"),
        Arguments.of("{\"stream\":1,\"frame\":\"reset\"}", "frame.error: missing"),
        Arguments.of("{\"stream\":1,\"frame\":\"window_update\"}", "frame.increment: missing in a window_update frame"),
        Arguments.of("{\"stream\":0,\"frame\":\"goaway\",\"error\":\"no_error\"}", "frame.lastStreamId: missing in a goaway frame"),
        Arguments.of("{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":1}", "frame.error: missing"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("missingFields")
  void fieldsTheFrameTypeNeedsAreRequired(String json, String reason) {
    assertProtocolError(json, reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ping", "DATA", "Reset", "", "window-update"})
  void unknownFrameTypeIsAProtocolError(String type) {
    assertProtocolError("{\"stream\":1,\"frame\":\"" + type + "\",\"message\":{}}", "frame.frame: unknown frame type '" + type + "'");
  }

  @Test
  void unknownFieldIsAProtocolError() {
    assertProtocolError("{\"stream\":1,\"message\":{},\"extra\":1}", "frame: unknown field 'extra'");
    assertProtocolError("{\"Stream\":1,\"message\":{}}", "frame: unknown field 'Stream'");
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        Arguments.of("{\"stream\":\"1\",\"message\":{}}", "frame.stream: must be an integer"),
        Arguments.of("{\"stream\":1.0,\"message\":{}}", "frame.stream: must be an integer"),
        Arguments.of("{\"stream\":null,\"message\":{}}", "frame.stream: must be an integer"),
        Arguments.of("{\"stream\":1,\"frame\":7,\"message\":{}}", "frame.frame: must be a string"),
        Arguments.of("{\"stream\":1,\"end\":\"true\",\"message\":{}}", "frame.end: must be true or false"),
        Arguments.of("{\"stream\":1,\"end\":1,\"message\":{}}", "frame.end: must be true or false"),
        Arguments.of("{\"stream\":1,\"message\":\"hi\"}", "frame.message: must be a JSON object"),
        Arguments.of("{\"stream\":1,\"message\":[{}]}", "frame.message: must be a JSON object"),
        Arguments.of("{\"stream\":1,\"message\":null}", "frame.message: must be a JSON object"),
        Arguments.of("{\"stream\":1,\"frame\":\"reset\",\"error\":7}", "frame.error: must be a string"),
        Arguments.of("{\"stream\":1,\"frame\":\"window_update\",\"increment\":\"16\"}", "frame.increment: must be an integer"),
        Arguments.of("{\"stream\":0,\"frame\":\"settings\",\"settings\":[]}", "frame.settings: must be a JSON object"),
        Arguments.of("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"initialStreamWindow\":\"64\"}}",
            "settings.initialStreamWindow: must be an integer"),
        Arguments.of("{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":\"7\",\"error\":\"no_error\"}",
            "frame.lastStreamId: must be an integer"),
        Arguments.of("{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":7,\"error\":\"no_error\",\"reason\":1}",
            "frame.reason: must be a string"),
        Arguments.of("{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":7,\"error\":\"no_error\",\"serverReference\":{}}",
            "frame.serverReference: must be a string"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("wrongTypes")
  void fieldOfTheWrongTypeIsAProtocolError(String json, String reason) {
    assertProtocolError(json, reason);
  }

  static Stream<Arguments> outOfRange() {
    return Stream.of(
        Arguments.of("{\"stream\":-1,\"message\":{}}", "frame.stream: -1 outside 0..2147483647"),
        Arguments.of("{\"stream\":2147483648,\"message\":{}}", "frame.stream: 2147483648 outside 0..2147483647"),
        Arguments.of("{\"stream\":99999999999999999999,\"message\":{}}", "frame.stream: out of range 0..2147483647"),
        Arguments.of("{\"stream\":1,\"frame\":\"window_update\",\"increment\":0}", "frame.increment: 0 outside 1..2147483647"),
        Arguments.of("{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":-1,\"error\":\"no_error\"}",
            "frame.lastStreamId: -1 outside 0..2147483647"),
        Arguments.of("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"initialConnectionWindow\":0}}",
            "settings.initialConnectionWindow: 0 outside 1..2147483647"),
        Arguments.of("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"maxConcurrentStreams\":-1}}",
            "settings.maxConcurrentStreams: -1 outside 0..2147483647"),
        Arguments.of("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"maxFramePayload\":1023}}",
            "settings.maxFramePayload: 1023 outside 1024..2147483647"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("outOfRange")
  void numberOutOfItsRangeIsAProtocolError(String json, String reason) {
    assertProtocolError(json, reason);
  }

  @Test
  void duplicateFrameFieldIsAProtocolErrorNotLastOneWins() {
    assertProtocolError("{\"stream\":1,\"stream\":3,\"message\":{\"type\":\"ping\"}}",
        "frame: duplicate field 'stream'");
    assertProtocolError("{\"stream\":1,\"end\":false,\"message\":{},\"end\":true}", "frame: duplicate field 'end'");
    assertProtocolError("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"maxFramePayload\":2048,"
        + "\"maxFramePayload\":1024}}", "frame.settings: duplicate field 'maxFramePayload'");
  }

  static Stream<Arguments> fieldsOfAnotherKind() {
    return Stream.of(
        Arguments.of("{\"stream\":1,\"increment\":4,\"message\":{}}", "frame.increment: not a field of a data frame"),
        Arguments.of("{\"stream\":1,\"frame\":\"reset\",\"error\":\"cancel\",\"end\":true}",
            "frame.end: not a field of a reset frame"),
        Arguments.of("{\"stream\":0,\"frame\":\"window_update\",\"increment\":1,\"reason\":\"x\"}",
            "frame.reason: not a field of a window_update frame"),
        Arguments.of("{\"stream\":0,\"frame\":\"settings\",\"message\":{}}",
            "frame.message: not a field of a settings frame"),
        Arguments.of("{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":1,\"error\":\"no_error\",\"increment\":1}",
            "frame.increment: not a field of a goaway frame"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("fieldsOfAnotherKind")
  void aFieldOfAnotherKindOfFrameIsRefusedNotIgnored(String json, String reason) {
    assertProtocolError(json, reason);
  }

  @Test
  void streamIsRequiredInEveryFrame() {
    assertProtocolError("{\"frame\":\"window_update\",\"increment\":1}", "frame.stream: missing");
  }

  @Test
  void duplicateFieldsInsideTheMessageAreLeftToTheMessageCodec() {
    // a bad message is a message error on its stream, not a connection error: the frame layer passes it on
    StreamFrame.Data data = (StreamFrame.Data) decode("{\"stream\":5,\"message\":{\"type\":\"ping\",\"type\":\"pong\"}}");
    assertThat(data.payload().toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"ping\",\"type\":\"pong\"}");
  }

  @Test
  void unknownNamesAreQuotedWithEscapesSoThatAReasonNeverHoldsALoneSurrogate() {
    assertProtocolError("{\"stream\":1,\"\\ud800\":1}", "frame: unknown field '\\ud800'");
    assertProtocolError("{\"stream\":1,\"frame\":\"\\udfff'\"}", "frame.frame: unknown frame type '\\udfff\\''");
  }

  @Test
  void settingsAndGoAwayMustBeOnTheControlStream() {
    assertProtocolError("{\"stream\":1,\"frame\":\"settings\"}", "frame.stream: settings must be on stream 0");
    assertProtocolError("{\"stream\":2,\"frame\":\"goaway\",\"lastStreamId\":0,\"error\":\"no_error\"}",
        "frame.stream: goaway must be on stream 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oops", "CANCEL", "error_", "error_x", "error_-1", "error_4294967296", ""})
  void unknownErrorNameIsAProtocolError(String name) {
    assertProtocolError("{\"stream\":1,\"frame\":\"reset\",\"error\":\"" + name + "\"}", "frame.error: unknown error code '" + name + "'");
  }

  @Test
  void textOverTheLimitIsAFrameSizeError() {
    JsonFrameCodec codec = new JsonFrameCodec(1024);
    String head = "{\"stream\":1,\"message\":{\"a\":\"";
    String tail = "\"}}";
    String exactly = head + "x".repeat(1024 - head.length() - tail.length()) + tail;
    assertThat(codec.decode(Buffer.buffer(exactly))).isInstanceOf(StreamFrame.Data.class);
    Buffer over = Buffer.buffer(head + "x".repeat(1025 - head.length() - tail.length()) + tail);
    assertThatThrownBy(() -> codec.decode(over)).isInstanceOfSatisfying(StreamLayerException.class, e -> {
      assertThat(e.errorCode()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR);
      assertThat(e.reason()).isEqualTo("frame of 1025 bytes exceeds the limit of 1024");
    });
  }

  @Test
  void nestingPastJacksonsLimitIsAProtocolError() {
    String json = "{\"stream\":1,\"message\":" + "{\"a\":".repeat(1200) + "1" + "}".repeat(1200) + "}";
    StreamLayerException e = failure(json);
    assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e.reason()).startsWith("not valid JSON: ");
  }

  @Test
  void numberPastJacksonsLengthLimitIsAProtocolError() {
    StreamLayerException e = failure("{\"stream\":" + "1".repeat(1200) + ",\"message\":{}}");
    assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e.reason()).startsWith("not valid JSON: ");
  }

  static Stream<Charset> otherEncodings() {
    return Stream.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16,
        Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"));
  }

  /** RFC 8259 §8.1: JSON exchanged between systems is UTF-8; Jackson must not guess another encoding. */
  @ParameterizedTest
  @MethodSource("otherEncodings")
  void textInAnotherEncodingThanUtf8IsAProtocolError(Charset charset) {
    for (String json : new String[] {"{\"stream\":1,\"message\":{}}", "{\"stream\":0,\"frame\":\"settings\"}"}) {
      StreamLayerException e = failure(Buffer.buffer(json.getBytes(charset)));
      assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      assertThat(e.reason()).isEqualTo("not valid JSON: not UTF-8");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"00", "7b00", "7b 22 73 00", "fe", "ff 7b", "feff 007b"})
  void zeroBytesNearTheStartAndByteOrderMarksOfUtf16AreRefused(String hex) {
    StreamLayerException e = failure(Hex.buffer(hex));
    assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e.reason()).isEqualTo("not valid JSON: not UTF-8");
  }

  @Test
  void badUtf8IsAProtocolError() {
    Buffer text = Buffer.buffer("{\"stream\":0,\"frame\":\"goaway\",\"lastStreamId\":0,\"error\":\"no_error\",\"reason\":\"")
        .appendByte((byte) 0xc3).appendString("(\"}");
    StreamLayerException e = failure(text);
    assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(e.reason()).startsWith("not valid JSON: ");
  }

  @Test
  void utf8ByteOrderMarkIsSkipped() {
    Buffer text = Buffer.buffer(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}).appendString("{\"stream\":1,\"message\":{\"a\":1}}");
    assertThat(describe(CODEC.decode(text))).isEqualTo(describe(data(1, false, "{\"a\":1}")));
  }
}
