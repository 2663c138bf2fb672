package io.braid.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.MalformedException;
import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a binary message can be malformed fails with a MalformedException naming the field. */
class BinaryMalformedTest {
  private final BinaryMessageCodec codec = BinaryMessageCodec.INSTANCE;

  private AbstractThrowableAssert<?, ? extends Throwable> assertMalformed(String hex) {
    return assertThatThrownBy(() -> codec.decode(Hex.buffer(hex))).isInstanceOf(MalformedException.class);
  }

  private void assertMalformed(String hex, String message) {
    assertMalformed(hex).hasMessage(message);
  }

  static List<Vectors.Vector> vectors() {
    return Vectors.all();
  }

  /**
   * A message cut short anywhere fails naming a field of that message; except inside a trailing
   * payload (PUBLISH, PING, PONG), whose cut decodes to the same message with a shorter payload.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void aTruncatedMessageFailsNamingTheFieldBeingRead(Vectors.Vector v) {
    byte[] bytes = v.binary();
    int payloadStart = bytes.length - trailingPayload(v.expected()).length();
    for (int cut = 0; cut < bytes.length; cut++) {
      Buffer prefix = Buffer.buffer(bytes).slice(0, cut);
      if (cut > 0 && cut >= payloadStart) {
        BraidMessage decoded = codec.decode(prefix);
        assertThat(trailingPayload(decoded)).as("cut at %d", cut)
            .isEqualTo(trailingPayload(v.expected()).slice(0, cut - payloadStart));
        continue;
      }
      String expectedPrefix = cut == 0 ? "message.type" : v.expected().type().name();
      int at = cut;
      assertThatThrownBy(() -> codec.decode(prefix)).as("cut at %d", at)
          .isInstanceOf(MalformedException.class)
          .satisfies(e -> assertThat(((MalformedException) e).field()).startsWith(expectedPrefix))
          .satisfies(e -> assertThat(((MalformedException) e).reason()).containsAnyOf("truncated", "past the end"));
    }
  }

  private static Buffer trailingPayload(BraidMessage m) {
    if (m instanceof Publish) return ((Publish) m).payload();
    if (m instanceof Ping) return ((Ping) m).data();
    if (m instanceof Pong) return ((Pong) m).data();
    return Buffer.buffer();
  }

  @Test
  void anEmptyMessageHasNoType() {
    assertMalformed("", "message.type: truncated");
  }

  @ParameterizedTest
  @CsvSource({"00, 0x00", "10, 0x10", "ff, 0xFF"})
  void anUnknownTypeIsRefused(String type, String shown) {
    assertMalformed(type + "00", "message.type: unknown message type " + shown);
  }

  @Test
  void aVarintLongerThanFiveBytesIsRefused() {
    assertMalformed("03 80808080808000 03612f62", "PUBLISH.flags: varint longer than 5 bytes");
    assertMalformed("04 00 8080808010", "PUBACK.packetId: varint larger than 32 bits");
  }

  @Test
  void aLengthPastTheEndIsRefused() {
    assertMalformed("03 00 05 612f62", "PUBLISH.topic: length 5 past the end (3 bytes left)");
    assertMalformed("01 00 ffffffff0f", "CONNECT.clientId: length 4294967295 past the end (0 bytes left)");
  }

  @Test
  void aTopicThatIsNotUtf8IsRefused() {
    assertMalformed("03 00 02 c328 00", "PUBLISH.topic: not valid UTF-8");
    // an encoded surrogate (U+D800) and an overlong '/' are not UTF-8 either
    assertMalformed("03 00 03 eda080", "PUBLISH.topic: not valid UTF-8");
    assertMalformed("03 00 02 c0af", "PUBLISH.topic: not valid UTF-8");
  }

  @Test
  void qos3IsRefused() {
    assertMalformed("03 03 01 61 01", "PUBLISH.qos: must be 0, 1 or 2, was 3");
    assertMalformed("08 03 01 61", "SUBSCRIBE.maxQos: must be 0, 1 or 2, was 3");
    assertMalformed("01 02 00 00 00 03 01 61 00 00", "CONNECT.will.qos: must be 0, 1 or 2, was 3");
  }

  @Test
  void retainHandling3IsRefused() {
    assertMalformed("08 30 01 61", "SUBSCRIBE.retainHandling: must be 0, 1 or 2, was 3");
  }

  @Test
  void aPacketIdMustBe1To65535() {
    assertMalformed("03 01 01 61 00", "PUBLISH.packetId: value 0 outside 1..65535");
    assertMalformed("03 01 01 61 808004", "PUBLISH.packetId: value 65536 outside 1..65535");
    assertMalformed("04 00 00", "PUBACK.packetId: value 0 outside 1..65535");
    assertMalformed("07 00", "PUBCOMP.packetId: truncated varint");
  }

  @Test
  void dupAtQos0IsRefused() {
    assertMalformed("03 08 01 61", "PUBLISH.dup: must be 0 at QoS 0 [MQTT-3.3.1-2]");
  }

  @Test
  void undefinedFlagBitsAreRefused() {
    assertMalformed("03 8020 01 61", "PUBLISH.flags: undefined bits set: 0x1000");
    assertMalformed("04 08 07", "PUBACK.flags: undefined bits set: 0x8");
    assertMalformed("0a 02", "UNSUBSCRIBE.flags: undefined bits set: 0x2");
    assertMalformed("02 808004", "CONNACK.flags: undefined bits set: 0x10000");
  }

  @Test
  void bytesAfterTheLastFieldAreRefused() {
    assertMalformed("04 00 07 00", "PUBACK: 1 bytes after the last field");
    assertMalformed("0a 00 0000", "UNSUBSCRIBE: 2 bytes after the last field");
    assertMalformed("01 00 00 00 00 ff", "CONNECT: 1 bytes after the last field");
  }

  @Test
  void aReasonCodeMustBelongToTheMessageType() {
    assertMalformed("04 01 07 92", "PUBACK.reasonCode: 0x92 is not a reason code of PUBACK");
    assertMalformed("09 01 11", "SUBACK.reasonCode: 0x11 is not a reason code of SUBACK");
    assertMalformed("0f 01 04 01 6d", "AUTH.reasonCode: 0x04 is not a reason code of AUTH");
    assertMalformed("0e 01 ff", "DISCONNECT.reasonCode: 0xFF is not a reason code of DISCONNECT");
  }

  @Test
  void aPresentReasonCodeOfZeroIsAccepted() {
    assertThat(codec.decode(Hex.buffer("04 01 07 00"))).isEqualTo(PubAck.of(7));
  }

  @Test
  void listCountsMustBePositiveAndFitTheBytesLeft() {
    assertMalformed("0a 01 00", "UNSUBSCRIBE.userProperties: count must be at least 1 when present");
    assertMalformed("0a 01 05 0161 0162", "UNSUBSCRIBE.userProperties: count 5 past the end (4 bytes left)");
    assertMalformed("0a 01 ffffffff0f", "UNSUBSCRIBE.userProperties: count 4294967295 past the end (0 bytes left)");
    assertMalformed("03 8004 01 61 03 0102", "PUBLISH.subscriptionIdentifiers: count 3 past the end (2 bytes left)");
  }

  @Test
  void aUserPropertyNeedsANameAndAValue() {
    assertMalformed("0a 01 01 0161 05", "UNSUBSCRIBE.userProperties.value: length 5 past the end (0 bytes left)");
    assertMalformed("0a 01 01 02c328 00", "UNSUBSCRIBE.userProperties.name: not valid UTF-8");
  }

  @Test
  void aSubscriptionIdentifierMustBe1To268435455() {
    assertMalformed("03 8004 01 61 01 00", "PUBLISH.subscriptionIdentifiers: value 0 outside 1..268435455");
    assertMalformed("08 40 01 61 00", "SUBSCRIBE.subscriptionIdentifier: value 0 outside 1..268435455");
    assertMalformed("08 40 01 61 8080808001", "SUBSCRIBE.subscriptionIdentifier: value 268435456 outside 1..268435455");
  }

  @Test
  void connAckRulesAreChecked() {
    assertMalformed("02 40 03", "CONNACK.maximumQos: must be 0, 1 or 2, was 3");
    assertMalformed("02 8008 00", "CONNACK.maximumMessageSize: must be 1..4294967295, was 0");
    assertMalformed("02 8002 808004", "CONNACK.serverKeepAlive: value 65536 outside 0..65535");
  }

  @Test
  void aSessionCannotBePresentOnARefusal() {
    assertMalformed("02 03 87", "CONNACK.sessionPresent: must be false with an error reason code [MQTT-3.2.2-6]");
  }

  @Test
  void authDataNeedsAnAuthMethod() {
    assertMalformed("01 40 00 00 00 0101", "CONNECT.authData: requires authMethod");
  }

  @Test
  void keepAliveIsSixteenBits() {
    assertMalformed("01 00 00 808004 00", "CONNECT.keepAlive: value 65536 outside 0..65535");
  }
}
