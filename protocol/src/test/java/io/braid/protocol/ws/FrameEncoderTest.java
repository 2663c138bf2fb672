package io.braid.protocol.ws;

import static io.braid.protocol.testing.Hex.bytes;
import static io.braid.protocol.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame encoder (RFC 6455 §5.2, §5.3): shortest length form, no masking from a server, a fresh
 * unpredictable key for every client frame.
 */
class FrameEncoderTest {
  private static byte[] payload(int length) {
    byte[] payload = new byte[length];
    for (int i = 0; i < length; i++) {
      payload[i] = (byte) (i * 31 + 7);
    }
    return payload;
  }

  private static int maskKeyOf(byte[] clientFrame) {
    int lengthBits = clientFrame[1] & 0x7F;
    int at = lengthBits == 126 ? 4 : lengthBits == 127 ? 10 : 2;
    return ((clientFrame[at] & 0xFF) << 24) | ((clientFrame[at + 1] & 0xFF) << 16)
        | ((clientFrame[at + 2] & 0xFF) << 8) | (clientFrame[at + 3] & 0xFF);
  }

  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({
    "0, 8200",
    "125, 827d",
    "126, 827e007e",
    "65535, 827effff",
    "65536, 827f0000000000010000",
  })
  void lengthUsesTheShortestForm(int length, String header) {
    byte[] frame = FrameEncoder.server().binary(Buffer.buffer(payload(length))).getBytes();
    assertThat(hex(frame)).startsWith(header);
    assertThat(frame).hasSize(header.length() / 2 + length);
  }

  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({
    "0, 8280",
    "125, 82fd",
    "126, 82fe007e",
    "65535, 82feffff",
    "65536, 82ff0000000000010000",
  })
  void clientFramesSetTheMaskBitAndCarryAKey(int length, String header) {
    byte[] frame = FrameEncoder.client().binary(Buffer.buffer(payload(length))).getBytes();
    assertThat(hex(frame)).startsWith(header);
    assertThat(frame).hasSize(header.length() / 2 + 4 + length);
  }

  @Test
  void serverFramesAreNeverMasked() {
    FrameEncoder encoder = FrameEncoder.server();
    for (int opcode : new int[] {Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION, Opcode.PING, Opcode.PONG, Opcode.CLOSE}) {
      byte[] frame = encoder.encode(opcode, true, Buffer.buffer("abc")).getBytes();
      assertThat(frame[1] & 0x80).as("MASK bit of opcode %d", opcode).isZero();
    }
  }

  @Test
  void clientMasksEveryFrame() {
    FrameEncoder encoder = FrameEncoder.client();
    for (int opcode : new int[] {Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION, Opcode.PING, Opcode.PONG, Opcode.CLOSE}) {
      byte[] frame = encoder.encode(opcode, true, Buffer.buffer("abc")).getBytes();
      assertThat(frame[1] & 0x80).as("MASK bit of opcode %d", opcode).isEqualTo(0x80);
    }
  }

  /**
   * 300 frames cross several batches of keys drawn from the random source; 300 random 32-bit keys
   * collide with probability about 1e-5.
   */
  @Test
  void clientUsesADifferentMaskKeyForEveryFrame() {
    FrameEncoder encoder = FrameEncoder.client();
    Set<Integer> keys = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      keys.add(maskKeyOf(encoder.text("same text").getBytes()));
    }
    assertThat(keys).hasSize(300);
  }

  @Test
  void differentClientEncodersUseDifferentKeys() {
    Set<Integer> keys = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      keys.add(maskKeyOf(FrameEncoder.client().text("x").getBytes()));
    }
    assertThat(keys).hasSize(100);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 3, 7, 8, 9, 125, 126, 127, 1000, 65535, 65536, 100_000})
  void serverDecoderRecoversClientFramePayloads(int length) {
    byte[] data = payload(length);
    Buffer frame = FrameEncoder.client().binary(Buffer.buffer(data));
    MessageRecorder recorder = new MessageRecorder(WsLimits.DEFAULT);

    new FrameDecoder(Role.SERVER, WsLimits.DEFAULT, new MessageAssembler(recorder)).decode(frame);

    assertThat(recorder.events).containsExactly(MessageRecorder.binary(data));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 125, 126, 65535, 65536})
  void clientDecoderReadsServerFrames(int length) {
    byte[] data = payload(length);
    Buffer frame = FrameEncoder.server().binary(Buffer.buffer(data));
    MessageRecorder recorder = new MessageRecorder(WsLimits.DEFAULT);

    new FrameDecoder(Role.CLIENT, WsLimits.DEFAULT, new MessageAssembler(recorder)).decode(frame);

    assertThat(recorder.events).containsExactly(MessageRecorder.binary(data));
  }

  @Test
  void encodingLeavesThePayloadUntouched() {
    Buffer payload = Buffer.buffer(payload(100));
    FrameEncoder.client().binary(payload);
    assertThat(payload.getBytes()).isEqualTo(payload(100));
  }

  @Test
  void finBitAndOpcodeAreEncodedAsGiven() {
    FrameEncoder encoder = FrameEncoder.server();
    assertThat(hex(encoder.encode(Opcode.TEXT, false, Buffer.buffer("a")))).isEqualTo("010161");
    assertThat(hex(encoder.encode(Opcode.CONTINUATION, false, Buffer.buffer("b")))).isEqualTo("000162");
    assertThat(hex(encoder.encode(Opcode.CONTINUATION, true, Buffer.buffer("c")))).isEqualTo("800163");
  }

  @Test
  void serverCloseFrameCarriesCodeAndReason() {
    assertThat(hex(FrameEncoder.server().close(1000, "bye"))).isEqualTo(hex(bytes("88 05 03e8 627965")));
  }

  @Test
  void serverPongEchoesThePingPayload() {
    assertThat(hex(FrameEncoder.server().pong(Buffer.buffer("Hello")))).isEqualTo("8a0548656c6c6f");
  }

  @Test
  void forRoleEncodesAsThatRole() {
    assertThat(FrameEncoder.forRole(Role.CLIENT).text("a").getByte(1) & 0x80).isEqualTo(0x80);
    assertThat(FrameEncoder.forRole(Role.SERVER).text("a").getByte(1) & 0x80).isZero();
  }
}
