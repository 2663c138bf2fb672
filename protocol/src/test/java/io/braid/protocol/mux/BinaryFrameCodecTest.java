package io.braid.protocol.mux;

import static io.braid.protocol.mux.Frames.data;
import static io.braid.protocol.mux.Frames.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The binary stream-frame format of {@code braid.v1}: {@code streamId varint | type << 4 | flags |
 * length varint | payload}. Each frame type has a byte-exact vector, encoded and decoded; every
 * malformed frame is a {@link StreamLayerException} with the exact error code and a reason naming
 * the field. A frame never spans WebSocket messages, so instead of byte splits the vectors are
 * batched into messages at every frame boundary, and cut at every other offset to show that a
 * partial frame is refused.
 */
class BinaryFrameCodecTest {
  /** The smallest limit a side may advertise, so that over-limit frames stay small. */
  private static final int LIMIT = StreamSettings.MIN_FRAME_PAYLOAD;

  record Vector(String name, String hex, StreamFrame frame) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Vector> VECTORS = List.of(
      new Vector("DATA", "01 00 02 6869", // stream 1, type 0 flags 0, length 2, "hi"
          data(1, false, "6869")),
      new Vector("DATA with END_STREAM", "03 01 03 627965", // stream 3, type 0 flags END_STREAM, "bye"
          data(3, true, "627965")),
      new Vector("empty DATA on a two-byte stream id", "ac02 00 00", // stream 300, length 0
          data(300, false, "")),
      new Vector("DATA on the control stream", "00 00 01 7b", // stream 0, "{"
          data(0, false, "7b")),
      new Vector("DATA on the largest stream id", "ffffffff07 01 00", // stream 2^31-1, END_STREAM, empty
          data(StreamFrame.MAX_STREAM_ID, true, "")),
      new Vector("RESET", "05 10 01 07", // stream 5, type 1, length 1, CANCEL
          new StreamFrame.Reset(5, ErrorCode.CANCEL)),
      new Vector("RESET with an undefined error code", "05 10 05 ffffffff0f", // code 2^32-1
          new StreamFrame.Reset(5, 0xFFFF_FFFFL)),
      new Vector("SETTINGS with the defaults", "00 20 0b" // stream 0, type 2, length 11
          + " 01 20" // initialStreamWindow 32
          + " 02 8002" // initialConnectionWindow 256
          + " 03 64" // maxConcurrentStreams 100
          + " 04 808040", // maxFramePayload 2^20
          new StreamFrame.Settings(StreamSettings.DEFAULTS)),
      new Vector("SETTINGS with no streams allowed", "00 20 0a 01 40 02 8008 03 00 04 8008", // 64, 1024, 0, 1024
          new StreamFrame.Settings(new StreamSettings(64, 1024, 0, 1024))),
      new Vector("WINDOW_UPDATE of the connection", "00 30 01 10", // stream 0, type 3, increment 16
          new StreamFrame.WindowUpdate(0, 16)),
      new Vector("WINDOW_UPDATE of a stream", "07 30 02 8001", // stream 7, increment 128
          new StreamFrame.WindowUpdate(7, 128)),
      new Vector("largest WINDOW_UPDATE", "07 30 05 ffffffff07", // increment 2^31-1
          new StreamFrame.WindowUpdate(7, StreamSettings.MAX_WINDOW)),
      new Vector("GOAWAY", "00 40 06 07 00 03 627965", // type 4: last stream 7, NO_ERROR, reason "bye", no reference
          new StreamFrame.GoAway(7, ErrorCode.NO_ERROR, "bye", null)),
      new Vector("GOAWAY to reconnect elsewhere", "00 40 08 00 09 00 04 623a3830", // last 0, RECONNECT, "", "b:80"
          new StreamFrame.GoAway(0, ErrorCode.RECONNECT, "", "b:80")),
      new Vector("GOAWAY with UTF-8 text", "00 40 07 05 01 02 c3a9 01 78", // last 5, PROTOCOL_ERROR, "é", "x"
          new StreamFrame.GoAway(5, ErrorCode.PROTOCOL_ERROR, "é", "x")));

  private static final BinaryFrameCodec CODEC = new BinaryFrameCodec(LIMIT);

  static List<String> decode(Buffer message) {
    List<StreamFrame> frames = new ArrayList<>();
    CODEC.decode(message, frames::add);
    return describe(frames);
  }

  static StreamLayerException failure(String hex) {
    List<StreamFrame> frames = new ArrayList<>();
    try {
      CODEC.decode(Hex.buffer(hex), frames::add);
    } catch (StreamLayerException e) {
      return e;
    }
    throw new AssertionError("decoded " + describe(frames) + " from " + hex);
  }

  static void assertMalformed(String hex, long errorCode, String reason) {
    StreamLayerException e = failure(hex);
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(ErrorCode.name(e.errorCode())).isEqualTo(ErrorCode.name(errorCode));
  }

  // Vectors

  static Stream<Vector> vectors() {
    return VECTORS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodeWritesTheVector(Vector vector) {
    assertThat(Hex.hex(BinaryFrameCodec.encode(vector.frame()))).isEqualTo(vector.hex().replace(" ", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodeAppendsToABatch(Vector vector) {
    Buffer out = Hex.buffer("01 00 00"); // an empty DATA frame already queued
    BinaryFrameCodec.encode(vector.frame(), out);
    assertThat(Hex.hex(out)).isEqualTo("010000" + vector.hex().replace(" ", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodeReadsTheVector(Vector vector) {
    assertThat(decode(Hex.buffer(vector.hex()))).containsExactly(describe(vector.frame()));
  }

  // Batching: several frames in one WebSocket message

  @Test
  void framesOfAMessageDecodeInOrderUnderEveryBatching() {
    List<byte[]> encoded = VECTORS.stream().map(v -> Hex.bytes(v.hex())).toList();
    List<String> expected = VECTORS.stream().map(v -> describe(v.frame())).toList();
    int boundaries = encoded.size() - 1;
    // Bit i of mask set: a message ends after frame i. Every way to batch the frames is checked.
    for (int mask = 0; mask < 1 << boundaries; mask++) {
      List<String> decoded = new ArrayList<>();
      Buffer message = Buffer.buffer();
      for (int i = 0; i < encoded.size(); i++) {
        message.appendBytes(encoded.get(i));
        if (i == boundaries || (mask & 1 << i) != 0) {
          decoded.addAll(decode(message));
          message = Buffer.buffer();
        }
      }
      assertThat(decoded).as("batching %s", Integer.toBinaryString(mask)).isEqualTo(expected);
    }
  }

  @Test
  void aFrameMayNotSpanMessages() {
    Buffer batch = Buffer.buffer();
    List<Integer> frameEnds = new ArrayList<>();
    for (Vector vector : VECTORS) {
      batch.appendBuffer(Hex.buffer(vector.hex()));
      frameEnds.add(batch.length());
    }
    for (int cut = 1; cut < batch.length(); cut++) {
      if (frameEnds.contains(cut)) {
        continue; // a frame boundary: covered by the batching test
      }
      int at = cut;
      long complete = frameEnds.stream().filter(end -> end <= at).count();
      List<StreamFrame> frames = new ArrayList<>();
      assertThatThrownBy(() -> CODEC.decode(batch.slice(0, at), frames::add))
          .as("cut at %d", cut)
          .isInstanceOfSatisfying(StreamLayerException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR));
      assertThat(frames).as("frames before the cut at %d", cut).hasSize((int) complete);
    }
  }

  @Test
  void dataPayloadIsASliceOfTheMessage() {
    Buffer message = Hex.buffer("01 00 02 6869 03 00 01 21");
    List<StreamFrame> frames = new ArrayList<>();
    CODEC.decode(message, frames::add);
    message.setByte(3, (byte) 'H');
    assertThat(((StreamFrame.Data) frames.get(0)).payload().toString()).isEqualTo("Hi");
  }

  @Test
  void aPayloadOfExactlyTheLimitIsAccepted() {
    Buffer message = Hex.buffer("01 00 8008").appendBuffer(Buffer.buffer(new byte[LIMIT])); // length 1024
    assertThat(decode(message)).containsExactly("DATA 1 " + Hex.repeat("00", LIMIT));
  }

  @Test
  void settingsWithNoPairsAreTheDefaults() {
    assertThat(decode(Hex.buffer("00 20 00"))).containsExactly(describe(new StreamFrame.Settings(StreamSettings.DEFAULTS)));
  }

  @Test
  void unknownSettingsAreIgnored() {
    String hex = "00 20 0a" // stream 0, SETTINGS, length 10
        + " 05 07" // id 5 (undefined) = 7
        + " 01 40" // initialStreamWindow = 64
        + " ffffffff0f 00"; // id 2^32-1 (undefined) = 0
    assertThat(decode(Hex.buffer(hex)))
        .containsExactly(describe(new StreamFrame.Settings(new StreamSettings(64, 256, 100, 1 << 20))));
  }

  // Malformed: every one a connection error with the exact code and the field in the reason

  @Test
  void emptyMessageIsAFrameSizeError() {
    assertMalformed("", ErrorCode.FRAME_SIZE_ERROR, "empty message: at least one frame expected");
  }

  static Stream<Arguments> truncatedHeaders() {
    return Stream.of(
        Arguments.of("81", "frame.streamId: truncated varint"), // continuation bit, then nothing
        Arguments.of("01", "frame.type: truncated"),
        Arguments.of("01 00", "frame.length: truncated varint"),
        Arguments.of("01 00 80", "frame.length: truncated varint"),
        Arguments.of("01 00 02 6869 01", "frame.type: truncated")); // a whole frame, then a cut header
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("truncatedHeaders")
  void truncatedHeaderIsAFrameSizeError(String hex, String reason) {
    assertMalformed(hex, ErrorCode.FRAME_SIZE_ERROR, reason);
  }

  @Test
  void truncatedPayloadIsAFrameSizeError() {
    assertMalformed("01 00 05 6869", // 5 bytes declared, 2 present
        ErrorCode.FRAME_SIZE_ERROR, "frame.length: length 5 past the end (2 bytes left)");
    assertMalformed("01 00 01", ErrorCode.FRAME_SIZE_ERROR, "frame.length: length 1 past the end (0 bytes left)");
  }

  static Stream<Arguments> varintsTooLong() {
    return Stream.of(
        Arguments.of("8080808080 01 00 00", "frame.streamId: varint longer than 5 bytes"),
        Arguments.of("01 00 8080808080 01", "frame.length: varint longer than 5 bytes"),
        Arguments.of("05 10 06 8080808080 01", "RESET.errorCode: varint longer than 5 bytes"),
        Arguments.of("00 30 06 8080808080 01", "WINDOW_UPDATE.increment: varint longer than 5 bytes"),
        Arguments.of("00 20 07 8080808080 01 00", "SETTINGS.id: varint longer than 5 bytes"),
        Arguments.of("00 40 06 8080808080 01", "GOAWAY.lastStreamId: varint longer than 5 bytes"),
        Arguments.of("ffffffff1f 00 00", "frame.streamId: varint larger than 32 bits"),
        Arguments.of("01 00 ffffffff1f", "frame.length: varint larger than 32 bits"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("varintsTooLong")
  void varintTooLongIsAFrameSizeError(String hex, String reason) {
    assertMalformed(hex, ErrorCode.FRAME_SIZE_ERROR, reason);
  }

  @Test
  void streamIdAbove31BitsIsAProtocolError() {
    assertMalformed("8080808008 00 00", // 2^31
        ErrorCode.PROTOCOL_ERROR, "frame.streamId: 2147483648 outside 0..2147483647");
  }

  @Test
  void lengthOverTheLimitIsAFrameSizeErrorBeforeThePayloadArrives() {
    assertMalformed("01 00 8108", // length 1025, no payload
        ErrorCode.FRAME_SIZE_ERROR, "frame payload of 1025 bytes exceeds the limit of 1024");
    assertMalformed("05 10 ffffffff0f 07", // RESET of length 2^32-1
        ErrorCode.FRAME_SIZE_ERROR, "frame payload of 4294967295 bytes exceeds the limit of 1024");
  }

  static Stream<Arguments> unknownTypes() {
    return IntStream.rangeClosed(5, 15).mapToObj(type -> Arguments.of(type));
  }

  @ParameterizedTest(name = "type 0x{0}")
  @MethodSource("unknownTypes")
  void unknownFrameTypeIsAProtocolError(int type) {
    assertMalformed(String.format("01 %02x 00", type << 4), ErrorCode.PROTOCOL_ERROR,
        "frame.type: unknown frame type 0x" + Integer.toHexString(type));
  }

  static Stream<Arguments> undefinedFlags() {
    // Each type with a valid payload; DATA defines END_STREAM (0x1), the other types no flag.
    Stream<Arguments> data = IntStream.of(0x2, 0x4, 0x8, 0xe, 0xf)
        .mapToObj(flags -> Arguments.of("DATA", String.format("01 %02x 00", flags), flags & ~0x1));
    Stream<Arguments> others = Stream.of(
            Arguments.of("RESET", StreamFrame.TYPE_RESET, "05 %02x 01 07"),
            Arguments.of("SETTINGS", StreamFrame.TYPE_SETTINGS, "00 %02x 00"),
            Arguments.of("WINDOW_UPDATE", StreamFrame.TYPE_WINDOW_UPDATE, "00 %02x 01 10"),
            Arguments.of("GOAWAY", StreamFrame.TYPE_GOAWAY, "00 %02x 03 00 00 00"))
        .flatMap(t -> IntStream.of(0x1, 0x2, 0x4, 0x8, 0xf).mapToObj(flags -> {
          Object[] type = t.get();
          return Arguments.of(type[0], String.format((String) type[2], (int) type[1] << 4 | flags), flags);
        }));
    return Stream.concat(data, others);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("undefinedFlags")
  void undefinedFlagsAreAProtocolError(String type, String hex, int undefined) {
    assertMalformed(hex, ErrorCode.PROTOCOL_ERROR, type + ".flags: undefined flag bits 0x" + Integer.toHexString(undefined));
  }

  @Test
  void trailingBytesInResetAreAFrameSizeError() {
    assertMalformed("05 10 02 07 00", ErrorCode.FRAME_SIZE_ERROR, "RESET: 1 unexpected bytes after the last field");
  }

  @Test
  void trailingBytesInWindowUpdateAreAFrameSizeError() {
    assertMalformed("00 30 03 10 00 00", ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE: 2 unexpected bytes after the last field");
  }

  @Test
  void trailingBytesInGoAwayAreAFrameSizeError() {
    assertMalformed("00 40 05 07 00 00 00 ee", // last 7, NO_ERROR, "", "", then ee
        ErrorCode.FRAME_SIZE_ERROR, "GOAWAY: 1 unexpected bytes after the last field");
  }

  static Stream<Arguments> truncatedPayloads() {
    return Stream.of(
        Arguments.of("05 10 00", "RESET.errorCode: truncated varint"),
        Arguments.of("00 30 00", "WINDOW_UPDATE.increment: truncated varint"),
        Arguments.of("00 20 01 01", "SETTINGS.initialStreamWindow: truncated varint"), // an id without its value
        Arguments.of("00 20 01 09", "SETTINGS.value: truncated varint"), // an unknown id without its value
        Arguments.of("00 40 00", "GOAWAY.lastStreamId: truncated varint"),
        Arguments.of("00 40 01 07", "GOAWAY.errorCode: truncated varint"),
        Arguments.of("00 40 02 07 00", "GOAWAY.reason: truncated varint"),
        Arguments.of("00 40 04 07 00 05 62", "GOAWAY.reason: length 5 past the end (1 bytes left)"),
        Arguments.of("00 40 05 07 00 00 02 62", "GOAWAY.serverReference: length 2 past the end (1 bytes left)"),
        // A field ends with its frame even when the message goes on: 80 would continue into 01 00 00.
        Arguments.of("05 10 01 80 01 00 00", "RESET.errorCode: truncated varint"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("truncatedPayloads")
  void fieldsCutShortByTheirFrameAreAFrameSizeError(String hex, String reason) {
    assertMalformed(hex, ErrorCode.FRAME_SIZE_ERROR, reason);
  }

  @Test
  void windowUpdateOfZeroIsRefused() {
    assertMalformed("00 30 01 00", ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE.increment: 0 outside 1..2147483647");
    assertMalformed("07 30 05 8080808008", // 2^31
        ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE.increment: 2147483648 outside 1..2147483647");
  }

  static Stream<Arguments> settingsOutOfRange() {
    return Stream.of(
        Arguments.of("00 20 02 01 00", "SETTINGS.initialStreamWindow: 0 outside 1..2147483647"),
        Arguments.of("00 20 02 02 00", "SETTINGS.initialConnectionWindow: 0 outside 1..2147483647"),
        Arguments.of("00 20 06 03 8080808008", "SETTINGS.maxConcurrentStreams: 2147483648 outside 0..2147483647"),
        Arguments.of("00 20 03 04 ff07", "SETTINGS.maxFramePayload: 1023 outside 1024..2147483647"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("settingsOutOfRange")
  void settingOutOfItsRangeIsAProtocolErrorAsInJson(String hex, String reason) {
    assertMalformed(hex, ErrorCode.PROTOCOL_ERROR, reason);
  }

  @Test
  void settingsMustBeOnTheControlStream() {
    assertMalformed("01 20 00", ErrorCode.PROTOCOL_ERROR, "frame.streamId: SETTINGS must be on stream 0");
  }

  @Test
  void goAwayMustBeOnTheControlStream() {
    assertMalformed("02 40 03 00 00 00", ErrorCode.PROTOCOL_ERROR, "frame.streamId: GOAWAY must be on stream 0");
  }

  @Test
  void badUtf8InGoAwayReasonIsRefused() {
    assertMalformed("00 40 05 07 00 02 c328", // reason: c3 then a non-continuation byte
        ErrorCode.FRAME_SIZE_ERROR, "GOAWAY.reason: not valid UTF-8");
  }

  @Test
  void badUtf8InGoAwayServerReferenceIsRefused() {
    assertMalformed("00 40 05 07 00 00 01 80", // serverReference: a lone continuation byte
        ErrorCode.FRAME_SIZE_ERROR, "GOAWAY.serverReference: not valid UTF-8");
  }

  @Test
  void streamLayerExceptionHasNoStackTrace() {
    assertThat(failure("").getStackTrace()).isEmpty();
  }
}
