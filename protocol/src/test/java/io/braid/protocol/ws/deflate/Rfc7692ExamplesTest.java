package io.braid.protocol.ws.deflate;

import static io.braid.protocol.ws.deflate.CompressedWire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.braid.protocol.testing.Splits;
import io.braid.protocol.ws.Opcode;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of RFC 7692 §7.2.3, byte for byte, as a client receives them from a server. */
class Rfc7692ExamplesTest {
  private static final DeflateParameters TAKEOVER = new DeflateParameters(false, false, 0, 0);
  private static final DeflateConfig KEEP_CONTEXT = new DeflateConfig(6, 0, true);

  private static List<String> received(String... hexFrames) {
    StringBuilder all = new StringBuilder();
    for (String frame : hexFrames) {
      all.append(frame).append(' ');
    }
    byte[] wire = hex(all.toString().trim());
    List<String>[] first = new List[1];
    Splits.of(wire).forEach(split -> {
      CompressedWire.Receiver client = CompressedWire.receiver(Role.CLIENT, TAKEOVER);
      split.pieces().forEach(client::decode);
      if (first[0] == null) {
        first[0] = client.received().messages;
      } else {
        assertThat(client.received().messages).as("split into %s", split).isEqualTo(first[0]);
      }
    });
    return first[0];
  }

  @Test
  void decodesHelloInOneCompressedFrame() {
    assertThat(received("c1 07 f2 48 cd c9 c9 07 00")).containsExactly("TEXT Hello");
  }

  @Test
  void decodesHelloCompressedInTwoFragments() {
    assertThat(received("41 03 f2 48 cd", "80 04 c9 c9 07 00")).containsExactly("TEXT Hello");
  }

  @Test
  void decodesASecondHelloThatRefersToTheFirstThroughTheSharedWindow() {
    assertThat(received("c1 07 f2 48 cd c9 c9 07 00", "c1 05 f2 00 11 00 00"))
        .containsExactly("TEXT Hello", "TEXT Hello");
  }

  @Test
  void decodesAStoredBlock() {
    assertThat(received("c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00")).containsExactly("TEXT Hello");
  }

  @Test
  void decodesABlockWithBfinalSetAndTheMessagesAfterIt() {
    assertThat(received("c1 08 f3 48 cd c9 c9 07 00 00", "c1 07 f2 48 cd c9 c9 07 00"))
        .containsExactly("TEXT Hello", "TEXT Hello");
  }

  @Test
  void decodesTwoDeflateBlocksInOneMessage() {
    assertThat(received("c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00")).containsExactly("TEXT Hello");
  }

  @Test
  void decodesAnEmptyCompressedMessage() {
    assertThat(received("c1 01 00")).containsExactly("TEXT ");
  }

  @Test
  void encodesHelloAsTheRfcDoes() {
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, TAKEOVER, KEEP_CONTEXT);
    assertThat(server.frame(Opcode.TEXT, true, Buffer.buffer("Hello")).getBytes())
        .isEqualTo(hex("c1 07 f2 48 cd c9 c9 07 00"));
  }

  @Test
  void encodesTheSecondHelloWithABackReferenceUnderContextTakeover() {
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, TAKEOVER, KEEP_CONTEXT);
    server.frame(Opcode.TEXT, true, Buffer.buffer("Hello"));
    assertThat(server.frame(Opcode.TEXT, true, Buffer.buffer("Hello")).getBytes())
        .isEqualTo(hex("c1 05 f2 00 11 00 00"));
  }

  @Test
  void withoutContextTakeoverEveryMessageIsCompressedAfresh() {
    DeflateParameters noTakeover = new DeflateParameters(true, false, 0, 0);
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, noTakeover, KEEP_CONTEXT);
    Buffer message = Buffer.buffer("Hello, Hello, Hello, Hello, Hello, Hello!");
    Buffer first = server.frame(Opcode.TEXT, true, message);
    assertThat(first.getByte(0)).isEqualTo((byte) 0xC1);
    assertThat(server.frame(Opcode.TEXT, true, message)).isEqualTo(first);
  }

  @Test
  void withoutContextTakeoverAMessageThatDoesNotShrinkGoesUncompressed() {
    DeflateParameters noTakeover = new DeflateParameters(true, false, 0, 0);
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, noTakeover, KEEP_CONTEXT);
    assertThat(server.frame(Opcode.TEXT, true, Buffer.buffer("Hello")).getBytes()).isEqualTo(hex("81 05 48 65 6c 6c 6f"));
  }

  @Test
  void encodesAnEmptyMessageAsOneZeroByte() {
    CompressedWire.Sender server = CompressedWire.sender(Role.SERVER, TAKEOVER, KEEP_CONTEXT);
    assertThat(server.frame(Opcode.BINARY, true, Buffer.buffer()).getBytes()).isEqualTo(hex("c2 01 00"));
  }
}
