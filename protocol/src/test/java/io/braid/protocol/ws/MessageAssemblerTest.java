package io.braid.protocol.ws;

import static io.braid.protocol.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Message assembly (RFC 6455 §5.4): fragments join into one message, and control frames between
 * them are delivered at once, in wire order.
 */
class MessageAssemblerTest {
  @ParameterizedTest
  @EnumSource(Role.class)
  void fragmentedTextIsDeliveredAsOneMessage(Role role) {
    Wire wire = Wire.of(role, "01 01 48" // "H", not final
        + "00 02 656c" // "el"
        + "80 02 6c6f"); // "lo", final
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("TEXT \"Hello\"");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void fragmentedBinaryIsDeliveredAsOneMessage(Role role) {
    Wire wire = Wire.of(role, "02 02 0102" // not final
        + "80 01 03"); // final
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("BINARY 010203");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void controlFramesBetweenFragmentsAreDeliveredInWireOrder(Role role) {
    Wire wire = Wire.of(role, "01 03 48656c" // "Hel", not final
        + "89 00" // ping
        + "00 01 6c" // "l"
        + "8a 02 6869" // pong "hi"
        + "80 01 6f"); // "o", final
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("PING", "PONG 6869", "TEXT \"Hello\"");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void closeBetweenFragmentsIsDeliveredAtOnce(Role role) {
    Wire wire = Wire.of(role, "01 03 48656c" // "Hel", not final
        + "88 02 03e9"); // close 1001
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly(MessageRecorder.close(1001, ""));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void emptyMessagesAreDelivered(Role role) {
    Wire wire = Wire.of(role, "81 00" // empty text
        + "82 00" // empty binary
        + "01 00 80 00"); // empty text in two empty fragments
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("TEXT \"\"", "BINARY", "TEXT \"\"");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void consecutiveFragmentedMessagesDoNotMix(Role role) {
    Wire wire = Wire.of(role, "01 01 61 80 01 62" // "ab" in two fragments
        + "02 01 01 00 01 02 80 01 03" // binary 010203 in three
        + "81 01 63"); // "c"
    assertThat(Decoding.messages(role, wire.bytes())).containsExactly("TEXT \"ab\"", "BINARY 010203", "TEXT \"c\"");
  }

  @Test
  void unfragmentedMessageIsDeliveredWithItsOwnPayload() {
    MessageRecorder recorder = new MessageRecorder(WsLimits.DEFAULT);
    MessageAssembler assembler = new MessageAssembler(recorder);

    assembler.onFrame(new WsFrame(true, Opcode.BINARY, Buffer.buffer(bytes("0102"))));
    assembler.onFrame(new WsFrame(true, Opcode.TEXT, Buffer.buffer("hi")));

    assertThat(recorder.events).containsExactly("BINARY 0102", "TEXT \"hi\"");
  }

  @Test
  void largeFragmentedMessageIsJoinedInOrder() {
    MessageRecorder recorder = new MessageRecorder(WsLimits.DEFAULT);
    MessageAssembler assembler = new MessageAssembler(recorder);
    byte[] whole = new byte[10_000];
    for (int i = 0; i < whole.length; i++) {
      whole[i] = (byte) (i * 7);
    }

    assembler.onFrame(new WsFrame(false, Opcode.BINARY, Buffer.buffer(Arrays.copyOfRange(whole, 0, 10))));
    assembler.onFrame(new WsFrame(false, Opcode.CONTINUATION, Buffer.buffer(Arrays.copyOfRange(whole, 10, 9000))));
    assembler.onFrame(new WsFrame(true, Opcode.CONTINUATION, Buffer.buffer(Arrays.copyOfRange(whole, 9000, 10_000))));

    assertThat(recorder.events).containsExactly(MessageRecorder.binary(whole));
  }
}
