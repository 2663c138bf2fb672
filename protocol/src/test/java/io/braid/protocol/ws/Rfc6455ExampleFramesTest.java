package io.braid.protocol.ws;

import static io.braid.protocol.testing.Hex.bytes;
import static io.braid.protocol.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example frames of RFC 6455 §5.7, byte for byte. Unmasked examples are server frames: the
 * CLIENT decoder reads them as they are, the SERVER decoder reads them masked with the RFC's key,
 * and the server encoder must produce them exactly.
 */
class Rfc6455ExampleFramesTest {
  private static final String UNMASKED_TEXT = "81 05 48656c6c6f"; // "Hello"
  private static final String MASKED_TEXT = "81 85 37fa213d 7f9f4d5158"; // "Hello" masked with 37fa213d
  private static final String FRAGMENTED_TEXT = "01 03 48656c" // "Hel", not final
      + "80 02 6c6f"; // "lo", final continuation
  private static final String UNMASKED_PING = "89 05 48656c6c6f"; // "Hello"
  private static final String MASKED_PONG = "8a 85 37fa213d 7f9f4d5158"; // "Hello" masked with 37fa213d
  private static final String BINARY_256_HEADER = "82 7e 0100"; // 16-bit length 256
  private static final String BINARY_64K_HEADER = "82 7f 0000000000010000"; // 64-bit length 65536

  /** "[256 bytes of binary data]": 00 01 02 ... ff. */
  private static byte[] binaryData(int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) i;
    }
    return data;
  }

  @Test
  void singleFrameUnmaskedTextDecodesAsHello() {
    assertThat(Decoding.frames(Role.CLIENT, bytes(UNMASKED_TEXT))).containsExactly("TEXT fin 48656c6c6f");
    assertThat(Decoding.messages(Role.CLIENT, bytes(UNMASKED_TEXT))).containsExactly("TEXT \"Hello\"");
  }

  @Test
  void serverEncodesSingleFrameUnmaskedTextByteExact() {
    assertThat(hex(FrameEncoder.server().text("Hello"))).isEqualTo(hex(bytes(UNMASKED_TEXT)));
  }

  @Test
  void singleFrameMaskedTextDecodesAsHello() {
    assertThat(Decoding.frames(Role.SERVER, bytes(MASKED_TEXT))).containsExactly("TEXT fin 48656c6c6f");
    assertThat(Decoding.messages(Role.SERVER, bytes(MASKED_TEXT))).containsExactly("TEXT \"Hello\"");
  }

  /** Checks the fixture helper the other tests rely on against the RFC itself. */
  @Test
  void maskingTheUnmaskedExampleWithTheRfcKeyGivesTheMaskedExample() {
    assertThat(hex(Wire.of(Role.SERVER, UNMASKED_TEXT).bytes())).isEqualTo(hex(bytes(MASKED_TEXT)));
    assertThat(hex(Wire.of(Role.CLIENT, UNMASKED_TEXT).bytes())).isEqualTo(hex(bytes(UNMASKED_TEXT)));
  }

  @Test
  void fragmentedUnmaskedTextDecodesAsTwoFramesAndOneMessage() {
    assertThat(Decoding.frames(Role.CLIENT, bytes(FRAGMENTED_TEXT)))
        .containsExactly("TEXT 48656c", "CONTINUATION fin 6c6f");
    assertThat(Decoding.messages(Role.CLIENT, bytes(FRAGMENTED_TEXT))).containsExactly("TEXT \"Hello\"");
  }

  @Test
  void fragmentedTextMaskedDecodesAsOneMessage() {
    byte[] masked = Wire.of(Role.SERVER, FRAGMENTED_TEXT).bytes();
    assertThat(Decoding.messages(Role.SERVER, masked)).containsExactly("TEXT \"Hello\"");
  }

  @Test
  void serverEncodesFragmentedTextByteExact() {
    FrameEncoder encoder = FrameEncoder.server();
    Buffer wire = Buffer.buffer()
        .appendBuffer(encoder.encode(Opcode.TEXT, false, Buffer.buffer("Hel")))
        .appendBuffer(encoder.encode(Opcode.CONTINUATION, true, Buffer.buffer("lo")));
    assertThat(hex(wire)).isEqualTo(hex(bytes(FRAGMENTED_TEXT)));
  }

  @Test
  void unmaskedPingDecodesWithItsBody() {
    assertThat(Decoding.messages(Role.CLIENT, bytes(UNMASKED_PING))).containsExactly("PING 48656c6c6f");
  }

  @Test
  void serverEncodesUnmaskedPingByteExact() {
    assertThat(hex(FrameEncoder.server().ping(Buffer.buffer("Hello")))).isEqualTo(hex(bytes(UNMASKED_PING)));
  }

  @Test
  void maskedPongDecodesWithTheBodyOfThePing() {
    assertThat(Decoding.messages(Role.SERVER, bytes(MASKED_PONG))).containsExactly("PONG 48656c6c6f");
  }

  @Test
  void binaryOf256BytesUses16BitLength() {
    byte[] data = binaryData(256);
    String frame = BINARY_256_HEADER + hex(data);
    assertThat(hex(FrameEncoder.server().binary(Buffer.buffer(data)))).isEqualTo(hex(bytes(frame)));
    assertThat(Decoding.messages(Role.CLIENT, bytes(frame))).containsExactly(MessageRecorder.binary(data));
    assertThat(Decoding.messages(Role.SERVER, Wire.of(Role.SERVER, frame).bytes()))
        .containsExactly(MessageRecorder.binary(data));
  }

  @Test
  void binaryOf64KibUses64BitLength() {
    byte[] data = binaryData(65536);
    String frame = BINARY_64K_HEADER + hex(data);
    assertThat(hex(FrameEncoder.server().binary(Buffer.buffer(data)))).isEqualTo(hex(bytes(frame)));
    assertThat(Decoding.messages(Role.CLIENT, bytes(frame))).isEqualTo(List.of(MessageRecorder.binary(data)));
    assertThat(Decoding.messages(Role.SERVER, Wire.of(Role.SERVER, frame).bytes()))
        .isEqualTo(List.of(MessageRecorder.binary(data)));
  }
}
