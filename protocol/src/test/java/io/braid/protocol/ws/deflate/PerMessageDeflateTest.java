package io.braid.protocol.ws.deflate;

import static io.braid.protocol.ws.deflate.CompressedWire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.Bytes;
import io.braid.protocol.codec.Role;
import io.braid.protocol.testing.Splits;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.FrameDecoder;
import io.braid.protocol.ws.FrameEncoder;
import io.braid.protocol.ws.MessageAssembler;
import io.braid.protocol.ws.Opcode;
import io.braid.protocol.ws.WsLimits;
import io.braid.protocol.ws.WsProtocolException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PerMessageDeflateTest {
  private static final DeflateParameters DEFAULT = new DeflateParameters(false, false, 0, 0);
  private static final DeflateConfig ALWAYS = new DeflateConfig(6, 0, true);

  static java.util.List<DeflateParameters> everyAgreement() {
    return DeflateNegotiationTest.everyOffer().stream()
        .filter(p -> p.clientMaxWindowBits() != DeflateParameters.NO_VALUE)
        .toList();
  }

  private static byte[] text(int size, long seed) {
    Random random = new Random(seed);
    String[] words = {"braid ", "topic ", "message ", "deflate ", "window ", "{\"qos\":1} ", "é✓ "};
    StringBuilder sb = new StringBuilder();
    while (sb.length() < size) {
      sb.append(words[random.nextInt(words.length)]);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Sends messages from {@code from} to the other role, fragmented every {@code fragment} bytes (0: whole). */
  private static void roundTrip(DeflateParameters agreed, Role from, int fragment, byte[]... messages) {
    CompressedWire.Sender sender = CompressedWire.sender(from, agreed, ALWAYS);
    CompressedWire.Receiver receiver = CompressedWire.receiver(from == Role.SERVER ? Role.CLIENT : Role.SERVER, agreed);
    for (byte[] message : messages) {
      if (fragment == 0 || message.length <= fragment) {
        receiver.decode(sender.frame(Opcode.TEXT, true, Buffer.buffer(message)));
        continue;
      }
      for (int at = 0; at < message.length; at += fragment) {
        int end = Math.min(message.length, at + fragment);
        receiver.decode(sender.frame(at == 0 ? Opcode.TEXT : Opcode.CONTINUATION, end == message.length,
            Buffer.buffer(java.util.Arrays.copyOfRange(message, at, end))));
      }
    }
    assertThat(receiver.received().payloads).as("agreed %s", agreed.headerValue()).containsExactly(messages);
  }

  @ParameterizedTest
  @MethodSource("everyAgreement")
  void everyAgreementCarriesMessagesBothWays(DeflateParameters agreed) {
    byte[][] messages = {text(3000, 1), text(3000, 1), text(70_000, 2), new byte[0], text(10, 3)};
    roundTrip(agreed, Role.SERVER, 0, messages);
    roundTrip(agreed, Role.CLIENT, 0, messages);
    roundTrip(agreed, Role.CLIENT, 1000, messages);
  }

  @Test
  void aCompressedStreamDecodesTheSameUnderEverySplit() {
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, DEFAULT, ALWAYS);
    Buffer wire = Buffer.buffer()
        .appendBuffer(server.frame(Opcode.TEXT, false, Buffer.buffer("Hello, ")))
        .appendBuffer(server.frame(Opcode.PING, true, Buffer.buffer("p")))
        .appendBuffer(server.frame(Opcode.CONTINUATION, true, Buffer.buffer("compressed world")))
        .appendBuffer(server.frame(Opcode.BINARY, true, Buffer.buffer(text(300, 4))));
    Splits.of(wire.getBytes()).forEach(split -> {
      CompressedWire.Receiver client = CompressedWire.receiver(Role.CLIENT, DEFAULT);
      split.pieces().forEach(client::decode);
      assertThat(client.received().messages).as("split %s", split).hasSize(2);
      assertThat(client.received().messages.get(0)).isEqualTo("TEXT Hello, compressed world");
      assertThat(client.received().payloads.get(1)).isEqualTo(text(300, 4));
    });
  }

  @Test
  void onlyTheFirstFrameOfACompressedMessageCarriesRsv1() {
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, DEFAULT, ALWAYS);
    assertThat(server.frame(Opcode.TEXT, false, Buffer.buffer("Hello")).getByte(0)).isEqualTo((byte) 0x41);
    assertThat(server.frame(Opcode.CONTINUATION, true, Buffer.buffer("Hello")).getByte(0)).isEqualTo((byte) 0x80);
    assertThat(server.frame(Opcode.PING, true, Buffer.buffer("Hello")).getBytes()).isEqualTo(hex("89 05 48 65 6c 6c 6f"));
  }

  @Test
  void messagesBelowTheMinimumGoUncompressed() {
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, DEFAULT, new DeflateConfig(6, 256, false));
    assertThat(server.frame(Opcode.TEXT, true, Buffer.buffer(java.util.Arrays.copyOf(text(300, 5), 255))).getByte(0)).isEqualTo((byte) 0x81);
    assertThat(server.frame(Opcode.TEXT, true, Buffer.buffer(java.util.Arrays.copyOf(text(300, 5), 256))).getByte(0)).isEqualTo((byte) 0xC1);
  }

  @Test
  void anIncompressibleMessageGoesUncompressedWhenNoWindowOutlivesIt() {
    byte[] noise = new byte[4096];
    new Random(6).nextBytes(noise);
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, DEFAULT, new DeflateConfig(6, 0, false));
    Buffer frame = server.frame(Opcode.BINARY, true, Buffer.buffer(noise));
    assertThat(frame.getByte(0)).isEqualTo((byte) 0x82);
    assertThat(frame.length()).isEqualTo(4 + noise.length);
  }

  @Test
  void aMessageThatInflatesPastTheLimitFailsWith1009() {
    WsLimits limits = new WsLimits(1 << 20, 64 * 1024);
    CompressedWire.Receiver server = CompressedWire.receiver(Role.SERVER, DEFAULT, limits);
    Buffer bomb = FrameEncoder.client().encode(Opcode.BINARY, true, true, deflateRaw(new byte[16 * 1024 * 1024]));
    assertThat(bomb.length()).as("small enough to pass the wire limit").isLessThan(64 * 1024);
    assertThatThrownBy(() -> server.decode(bomb))
        .isInstanceOfSatisfying(WsProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG));
  }

  @Test
  void aMessageExactlyAtTheLimitInflates() {
    WsLimits limits = new WsLimits(1 << 20, 64 * 1024);
    CompressedWire.Receiver server = CompressedWire.receiver(Role.SERVER, DEFAULT, limits);
    server.decode(FrameEncoder.client().encode(Opcode.BINARY, true, true, deflateRaw(new byte[64 * 1024])));
    assertThat(server.received().payloads.get(0)).hasSize(64 * 1024);
  }

  @Test
  void aMessageOfManyFinalBlocksFailsWith1007InsteadOfRestartingWithoutEnd() {
    CompressedWire.Receiver server = CompressedWire.receiver(Role.SERVER, DEFAULT);
    // 03 00: an empty block with BFINAL set; each ends a DEFLATE stream that the receiver must restart
    Buffer manyStreams = Buffer.buffer(hex("03 00".repeat(MessageInflater.MAX_STREAMS_PER_MESSAGE + 2)));
    Buffer frame = FrameEncoder.client().encode(Opcode.BINARY, true, true, manyStreams);
    assertThatThrownBy(() -> server.decode(frame))
        .isInstanceOfSatisfying(WsProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD));
  }

  @Test
  void aFewFinalBlocksInOneMessageAreRead() {
    CompressedWire.Receiver server = CompressedWire.receiver(Role.SERVER, DEFAULT);
    // "Hello" ended with BFINAL (RFC 7692 §7.2.3.4), then two empty final blocks
    server.decode(FrameEncoder.client().encode(Opcode.TEXT, true, true, Buffer.buffer(hex("f3 48 cd c9 c9 07 00 03 00 03 00"))));
    assertThat(server.received().messages).containsExactly("TEXT Hello");
  }

  @Test
  void invalidCompressedDataFailsWith1007() {
    CompressedWire.Receiver server = CompressedWire.receiver(Role.SERVER, DEFAULT);
    Buffer garbage = FrameEncoder.client().encode(Opcode.BINARY, true, true, Buffer.buffer(hex("ff ff ff ff")));
    assertThatThrownBy(() -> server.decode(garbage))
        .isInstanceOfSatisfying(WsProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD));
  }

  @Test
  void compressedTextThatIsNotUtf8FailsWith1007() {
    CompressedWire.Receiver server = CompressedWire.receiver(Role.SERVER, DEFAULT);
    Buffer frame = FrameEncoder.client().encode(Opcode.TEXT, true, true, deflateRaw(hex("48 c3 28")));
    assertThatThrownBy(() -> server.decode(frame))
        .isInstanceOfSatisfying(WsProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD));
  }

  @Test
  void rsv1OnAContinuationOrControlFrameIsAProtocolError() {
    assertThat(closeCodeOf(hex("01 81 00 00 00 00 48"), hex("c0 81 00 00 00 00 48"))).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    assertThat(closeCodeOf(hex("c9 80 00 00 00 00"))).isEqualTo(CloseCodes.PROTOCOL_ERROR);
  }

  @Test
  void rsv2IsAProtocolErrorEvenWithCompression() {
    assertThat(closeCodeOf(hex("a1 80 00 00 00 00"))).isEqualTo(CloseCodes.PROTOCOL_ERROR);
  }

  @Test
  void rsv1IsAProtocolErrorWhenNothingWasNegotiated() {
    FrameDecoder plain = new FrameDecoder(Role.SERVER, WsLimits.DEFAULT, frame -> {});
    assertThatThrownBy(() -> plain.decode(Buffer.buffer(hex("c1 80 00 00 00 00"))))
        .isInstanceOfSatisfying(WsProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR));
  }

  private static int closeCodeOf(byte[]... frames) {
    CompressedWire.Received received = new CompressedWire.Received();
    PerMessageDeflate extension = new PerMessageDeflate(DEFAULT, Role.SERVER, ALWAYS, WsLimits.DEFAULT_MAX);
    FrameDecoder decoder = new FrameDecoder(Role.SERVER, WsLimits.DEFAULT, extension.inflating(new MessageAssembler(received)))
        .allowCompressedMessages();
    try {
      for (byte[] frame : frames) {
        decoder.decode(Buffer.buffer(frame));
      }
    } catch (WsProtocolException e) {
      return e.closeCode();
    }
    return -1;
  }

  /** Raw DEFLATE of {@code data}, sync-flushed, tail removed: a peer's compressed message. */
  static Buffer deflateRaw(byte[] data) {
    Deflater deflater = new Deflater(9, true);
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[65536];
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.write(chunk, 0, n);
    } while (n == chunk.length);
    deflater.end();
    byte[] all = out.toByteArray();
    return Bytes.wrap(java.util.Arrays.copyOf(all, all.length - 4));
  }
}
