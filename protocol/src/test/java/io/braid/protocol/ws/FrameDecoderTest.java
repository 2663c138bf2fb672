package io.braid.protocol.ws;

import static io.braid.protocol.testing.Hex.bytes;
import static io.braid.protocol.testing.Hex.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.braid.protocol.codec.Role;
import io.braid.protocol.testing.Hex;
import io.braid.protocol.ws.Decoding.Failure;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The frame rules of RFC 6455 §5, each checked in both roles: fixtures are written as unmasked
 * server frames and masked for the SERVER decoder by {@link Wire}. Every fixture is fed under every
 * split, and a failure must happen at the byte that breaks the rule, with the exact close code and
 * reason, after which the decoder ignores everything.
 */
class FrameDecoderTest {
  private static final WsLimits SMALL = new WsLimits(1024, 4096);

  // §5.1 masking by role

  @Test
  void serverRejectsUnmaskedClientFrame() {
    byte[] fixture = bytes("81 05 48656c6c6f"); // "Hello", unmasked
    assertThat(Decoding.failure(Role.SERVER, fixture, 1))
        .isEqualTo(new Failure(1002, "client frames must be masked"));
  }

  @Test
  void clientRejectsMaskedServerFrame() {
    byte[] fixture = bytes("81 85 37fa213d 7f9f4d5158"); // "Hello", masked
    assertThat(Decoding.failure(Role.CLIENT, fixture, 1))
        .isEqualTo(new Failure(1002, "server frames must not be masked"));
  }

  // §5.2 header bits

  static Stream<Arguments> rolesAndRsvBits() {
    return Stream.of(Role.values()).flatMap(role -> IntStream.of(0x40, 0x20, 0x10).mapToObj(rsv -> Arguments.of(role, rsv)));
  }

  @ParameterizedTest(name = "{0} RSV bit 0x{1}")
  @MethodSource("rolesAndRsvBits")
  void rsvBitsMustBeClearWithoutANegotiatedExtension(Role role, int rsv) {
    Wire wire = Wire.of(role, String.format("%02x 05 48656c6c6f", 0x81 | rsv)); // "Hello" with an RSV bit
    assertThat(Decoding.failure(role, wire.bytes(), wire.secondByte(0)))
        .isEqualTo(new Failure(1002, "RSV bits must be 0 without a negotiated extension"));
  }

  static Stream<Arguments> rolesAndReservedOpcodes() {
    return Stream.of(Role.values()).flatMap(role -> IntStream.of(0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF)
        .mapToObj(opcode -> Arguments.of(role, opcode)));
  }

  @ParameterizedTest(name = "{0} opcode {1}")
  @MethodSource("rolesAndReservedOpcodes")
  void reservedOpcodesAreRejected(Role role, int opcode) {
    Wire wire = Wire.of(role, String.format("%02x 00", 0x80 | opcode)); // empty final frame
    assertThat(Decoding.failure(role, wire.bytes(), wire.secondByte(0)))
        .isEqualTo(new Failure(1002, "reserved opcode 0x" + Integer.toHexString(opcode)));
  }

  // §5.5 control frames

  static Stream<Arguments> rolesAndControlOpcodes() {
    return Stream.of(Role.values()).flatMap(role -> IntStream.of(Opcode.CLOSE, Opcode.PING, Opcode.PONG)
        .mapToObj(opcode -> Arguments.of(role, opcode)));
  }

  @ParameterizedTest(name = "{0} opcode {1}")
  @MethodSource("rolesAndControlOpcodes")
  void controlFramesMustNotBeFragmented(Role role, int opcode) {
    Wire wire = Wire.of(role, String.format("%02x 00", opcode)); // FIN clear
    assertThat(Decoding.failure(role, wire.bytes(), wire.secondByte(0)))
        .isEqualTo(new Failure(1002, "control frames must not be fragmented"));
  }

  @ParameterizedTest(name = "{0} opcode {1}")
  @MethodSource("rolesAndControlOpcodes")
  void controlFramePayloadMustBeAtMost125Bytes(Role role, int opcode) {
    Wire wire = Wire.of(role, String.format("%02x 7e 007e", 0x80 | opcode) + repeat("00", 126)); // 126 bytes
    assertThat(Decoding.failure(role, wire.bytes(), wire.secondByte(0)))
        .isEqualTo(new Failure(1002, "control frame payload must be at most 125 bytes"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void controlFrameOf125BytesIsAccepted(Role role) {
    Wire wire = Wire.of(role, "89 7d" + repeat("61", 125)); // ping of 125 'a'
    assertThat(Decoding.frames(role, wire.bytes())).containsExactly("PING fin " + Payloads.describe(bytes(repeat("61", 125))));
  }

  // §5.4 fragmentation

  @ParameterizedTest
  @EnumSource(Role.class)
  void continuationWithoutAMessageIsRejected(Role role) {
    Wire wire = Wire.of(role, "80 02 6c6f"); // final continuation "lo"
    assertThat(Decoding.failure(role, wire.bytes(), wire.secondByte(0)))
        .isEqualTo(new Failure(1002, "continuation frame without a message to continue"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void continuationAfterAFinalFrameIsRejected(Role role) {
    Wire wire = Wire.of(role, "81 02 6869" // "hi", final
        + "80 02 6c6f"); // continuation "lo"
    assertThat(Decoding.failure(role, wire.bytes(), wire.secondByte(1)))
        .isEqualTo(new Failure(1002, "continuation frame without a message to continue", List.of("TEXT fin 6869")));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void newDataFrameInsideAFragmentedMessageIsRejected(Role role) {
    Wire wire = Wire.of(role, "01 03 48656c" // "Hel", not final
        + "81 02 6c6f"); // a new text frame "lo" instead of a continuation
    assertThat(Decoding.failure(role, wire.bytes(), wire.secondByte(1)))
        .isEqualTo(new Failure(1002, "new data frame inside a fragmented message", List.of("TEXT 48656c")));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void newBinaryFrameInsideAFragmentedTextMessageIsRejected(Role role) {
    Wire wire = Wire.of(role, "01 03 48656c" // "Hel", not final
        + "82 01 00"); // a binary frame
    assertThat(Decoding.failure(role, wire.bytes(), wire.secondByte(1)))
        .isEqualTo(new Failure(1002, "new data frame inside a fragmented message", List.of("TEXT 48656c")));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void controlFramesMayArriveBetweenFragments(Role role) {
    Wire wire = Wire.of(role, "01 03 48656c" // "Hel", not final
        + "89 00" // ping
        + "8a 02 6869" // pong "hi"
        + "80 02 6c6f"); // "lo", final
    assertThat(Decoding.frames(role, wire.bytes())).containsExactly("TEXT 48656c", "PING fin", "PONG fin 6869", "CONTINUATION fin 6c6f");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void emptyFragmentsAreAllowed(Role role) {
    Wire wire = Wire.of(role, "01 00" // empty text, not final
        + "00 00" // empty continuation
        + "80 00"); // empty final continuation
    assertThat(Decoding.frames(role, wire.bytes())).containsExactly("TEXT", "CONTINUATION", "CONTINUATION fin");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void isInsideMessageFromFirstFragmentToFinalFragment(Role role) {
    Wire first = Wire.of(role, "01 03 48656c"); // "Hel", not final
    Wire ping = Wire.of(role, "89 00");
    Wire last = Wire.of(role, "80 02 6c6f"); // "lo", final
    FrameDecoder decoder = new FrameDecoder(role, WsLimits.DEFAULT, frame -> { });

    assertThat(decoder.isInsideMessage()).isFalse();
    decoder.decode(Buffer.buffer(first.bytes()));
    assertThat(decoder.isInsideMessage()).isTrue();
    decoder.decode(Buffer.buffer(ping.bytes()));
    assertThat(decoder.isInsideMessage()).isTrue();
    decoder.decode(Buffer.buffer(last.bytes()));
    assertThat(decoder.isInsideMessage()).isFalse();
  }

  // §5.2 payload length: 7, 16 or 64 bits

  @ParameterizedTest
  @EnumSource(Role.class)
  void decodesEverySevenBitLength(Role role) {
    for (int length : new int[] {0, 1, 124, 125}) {
      byte[] payload = bytes(repeat("5a", length));
      Wire wire = Wire.of(role, String.format("82 %02x", length) + Hex.hex(payload));
      assertThat(Decoding.frames(role, wire.bytes())).as("length %d", length).containsExactly(withPayload("BINARY fin", payload));
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void decodes16BitLengths(Role role) {
    for (int length : new int[] {126, 127, 1000}) {
      byte[] payload = bytes(repeat("5a", length));
      Wire wire = Wire.of(role, String.format("82 7e %04x", length) + Hex.hex(payload));
      assertThat(Decoding.frames(role, wire.bytes())).as("length %d", length).containsExactly(withPayload("BINARY fin", payload));
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void mostSignificantBitOf64BitLengthMustBeClear(Role role) {
    Wire wire = Wire.of(role, "82 7f 8000000000000001"); // 2^63 + 1
    assertThat(Decoding.failure(role, wire.bytes(), wire.lastHeaderByte(0)))
        .isEqualTo(new Failure(1002, "64-bit payload length must have its most significant bit clear"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void decodesSeveralFramesFromOneRead(Role role) {
    Wire wire = Wire.of(role, "81 02 6869" // text "hi"
        + "82 02 0102" // binary
        + "8a 00" // pong
        + "88 02 03e8"); // close 1000
    assertThat(Decoding.frames(role, wire.bytes())).containsExactly("TEXT fin 6869", "BINARY fin 0102", "PONG fin", "CLOSE fin 03e8");
  }

  // Limits (RFC 6455 §10.4): 1009 as soon as the header declares too much

  @ParameterizedTest
  @EnumSource(Role.class)
  void framePayloadPastTheLimitFailsWith1009BeforeThePayloadArrives(Role role) {
    Wire wire = Wire.of(role, "82 7e 0401"); // header only: binary of 1025 bytes
    assertThat(Decoding.failure(role, SMALL, wire.bytes(), wire.lastHeaderByte(0)))
        .isEqualTo(new Failure(1009, "frame payload of 1025 bytes exceeds the limit of 1024"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void framePayloadAtTheLimitIsAccepted(Role role) {
    byte[] payload = bytes(repeat("5a", 1024));
    Wire wire = Wire.of(role, "82 7e 0400" + Hex.hex(payload)); // binary of 1024 bytes
    assertThat(Decoding.frames(role, SMALL, wire.bytes())).containsExactly(withPayload("BINARY fin", payload));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void hugeDeclaredLengthFailsWith1009(Role role) {
    Wire wire = Wire.of(role, "82 7f 0000010000000000 0102"); // 2^40 bytes declared, 2 sent
    assertThat(Decoding.failure(role, wire.bytes(), wire.lastHeaderByte(0)))
        .isEqualTo(new Failure(1009, "frame payload of 1099511627776 bytes exceeds the limit of 16777216"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void messagePastTheLimitAcrossFragmentsFailsWith1009(Role role) {
    WsLimits limits = new WsLimits(125, 200);
    Wire wire = Wire.of(role, "01 64" + repeat("61", 100) // 100 'a', not final
        + "00 64" + repeat("62", 100) // 100 'b', not final
        + "80 01 63"); // 'c', final: 201 bytes in all
    assertThat(Decoding.failure(role, limits, wire.bytes(), wire.lastHeaderByte(2)))
        .isEqualTo(new Failure(1009, "message of at least 201 bytes exceeds the limit of 200", List.of(
            withPayload("TEXT", bytes(repeat("61", 100))), withPayload("CONTINUATION", bytes(repeat("62", 100))))));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void messageAtTheLimitAcrossFragmentsIsAccepted(Role role) {
    WsLimits limits = new WsLimits(125, 200);
    Wire wire = Wire.of(role, "01 64" + repeat("61", 100) // 100 'a', not final
        + "80 64" + repeat("62", 100)); // 100 'b', final: 200 bytes in all
    assertThat(Decoding.messages(role, limits, wire.bytes()))
        .containsExactly(MessageRecorder.text(bytes(repeat("61", 100) + repeat("62", 100))));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void controlFramesBetweenFragmentsDoNotCountTowardsTheMessageSize(Role role) {
    WsLimits limits = new WsLimits(125, 200);
    Wire wire = Wire.of(role, "01 64" + repeat("61", 100) // 100 'a', not final
        + "89 7d" + repeat("70", 125) // ping of 125 bytes
        + "80 64" + repeat("62", 100)); // 100 'b', final: 200 bytes of message
    assertThat(Decoding.messages(role, limits, wire.bytes())).containsExactly(
        MessageRecorder.ping(bytes(repeat("70", 125))),
        MessageRecorder.text(bytes(repeat("61", 100) + repeat("62", 100))));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void messageSizeCountsFromTheStartOfEachMessage(Role role) {
    WsLimits limits = new WsLimits(125, 200);
    String message = "01 64" + repeat("61", 100) + "80 64" + repeat("62", 100); // 200 bytes
    Wire wire = Wire.of(role, message + message);
    String text = MessageRecorder.text(bytes(repeat("61", 100) + repeat("62", 100)));
    assertThat(Decoding.messages(role, limits, wire.bytes())).containsExactly(text, text);
  }

  /**
   * A declared length within the limit is not allocated up front: a peer that announces 16 MiB and
   * sends a few bytes costs a few bytes, not 16 MiB. Measured with the JVM's per-thread allocation
   * counter.
   */
  @Test
  void bufferedPayloadGrowsWithTheBytesThatArriveNotWithTheDeclaredLength() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);
    Buffer header = Hex.buffer("82 7f 0000000001000000"); // 16 MiB declared
    Buffer someBytes = Buffer.buffer(new byte[1000]);
    List<WsFrame> frames = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(Role.CLIENT, WsLimits.DEFAULT, frames::add);

    long before = threads.getCurrentThreadAllocatedBytes();
    decoder.decode(header);
    decoder.decode(someBytes);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(frames).isEmpty();
    assertThat(allocated).as("bytes allocated for 1000 bytes of a 16 MiB frame").isLessThan(256 * 1024);
  }

  // After a failure, and after stop()

  @ParameterizedTest
  @EnumSource(Role.class)
  void decoderIgnoresAllInputAfterAProtocolError(Role role) {
    List<WsFrame> frames = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(role, WsLimits.DEFAULT, frames::add);
    assertThatThrownBy(() -> decoder.decode(Buffer.buffer(Wire.of(role, "80 00").bytes()))) // stray continuation
        .isInstanceOf(WsProtocolException.class);

    decoder.decode(Decoding.validFrameFor(role));
    decoder.decode(Hex.buffer("ffffffff")); // garbage does not fail it a second time either

    assertThat(frames).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void stopMakesTheDecoderIgnoreLaterInput(Role role) {
    List<WsFrame> frames = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(role, WsLimits.DEFAULT, frames::add);
    decoder.decode(Buffer.buffer(Wire.of(role, "88 02 03e8").bytes())); // close 1000
    decoder.stop(); // nothing may follow a close frame (§5.5.1)

    decoder.decode(Decoding.validFrameFor(role));

    assertThat(frames).extracting(FrameRecorder::describe).containsExactly("CLOSE fin 03e8");
  }

  private static String withPayload(String frameOrEvent, byte[] payload) {
    return payload.length == 0 ? frameOrEvent : frameOrEvent + " " + Payloads.describe(payload);
  }
}
