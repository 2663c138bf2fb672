package io.braid.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records keep their invariants, compare by content, and decoded payloads are not copies. */
class MessageRecordsTest {
  private static Buffer text(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void buffersCompareByContentSoRecordsDoToo() {
    Buffer whole = text("xxhelloxx");
    Buffer slice = whole.slice(2, 7);
    assertThat(slice).isEqualTo(text("hello")).hasSameHashCodeAs(text("hello"));
    assertThat(Publish.of("t", slice)).isEqualTo(Publish.of("t", text("hello")))
        .hasSameHashCodeAs(Publish.of("t", text("hello")));
    assertThat(Publish.of("t", slice)).isNotEqualTo(Publish.of("t", text("hellO")));
  }

  @Test
  void aDecodedPayloadIsASliceOfTheInputNotACopy() {
    Buffer input = BinaryMessageCodec.INSTANCE.encode(Publish.of("a/b", text("hello")));
    Publish decoded = (Publish) BinaryMessageCodec.INSTANCE.decode(input);
    input.setByte(input.length() - 1, (byte) '!');
    assertThat(decoded.payload().toString()).isEqualTo("hell!");
  }

  @Test
  void qosIs0To2() {
    assertThatThrownBy(() -> Publish.of("t", text(""), 3, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PUBLISH.qos: must be 0, 1 or 2, was 3");
    assertThatThrownBy(() -> ConnectWill.of("t", text(""), -1)).hasMessage("CONNECT.will.qos: must be 0, 1 or 2, was -1");
    assertThatThrownBy(() -> Subscribe.of("t", 3)).hasMessage("SUBSCRIBE.maxQos: must be 0, 1 or 2, was 3");
  }

  @Test
  void aPacketIdIsPresentExactlyAtQos1And2() {
    assertThatThrownBy(() -> Publish.of("t", text(""), 1, 0)).hasMessage("PUBLISH.packetId: must be 1..65535 at QoS 1, was 0");
    assertThatThrownBy(() -> Publish.of("t", text(""), 2, 65536)).hasMessage("PUBLISH.packetId: must be 1..65535 at QoS 2, was 65536");
    assertThatThrownBy(() -> Publish.of("t", text(""), 0, 1)).hasMessage("PUBLISH.packetId: must be 0 (none) at QoS 0, was 1");
    assertThatThrownBy(() -> PubAck.of(0)).hasMessage("PUBACK.packetId: must be 1..65535, was 0");
  }

  @Test
  void dupIsOnlyForQos1And2() {
    assertThatThrownBy(() -> Publish.builder("t", text("")).dup(true).build())
        .hasMessage("PUBLISH.dup: must be false at QoS 0 [MQTT-3.3.1-2]");
  }

  @Test
  void reasonCodesBelongToTheirMessage() {
    assertThatThrownBy(() -> PubAck.of(1, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND))
        .hasMessage("PUBACK.reasonCode: 0x92 is not a reason code of PUBACK");
    assertThatThrownBy(() -> SubAck.of(3)).hasMessage("SUBACK.reasonCode: 0x03 is not a reason code of SUBACK");
    assertThat(PubRel.of(1, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND).reasonCode()).isEqualTo(0x92);
    assertThat(ReasonCode.isError(ReasonCode.GRANTED_QOS_2)).isFalse();
    assertThat(ReasonCode.isError(ReasonCode.UNSPECIFIED_ERROR)).isTrue();
    assertThat(ReasonCode.name(0x87)).isEqualTo("not authorized");
  }

  @Test
  void aRefusedConnectionHasNoSession() {
    assertThatThrownBy(() -> ConnAck.builder(ReasonCode.NOT_AUTHORIZED).sessionPresent(true).build())
        .hasMessage("CONNACK.sessionPresent: must be false with an error reason code [MQTT-3.2.2-6]");
  }

  @Test
  void optionalNumbersAreAbsentAsMinusOneAndOtherwiseInRange() {
    assertThat(Publish.of("t", text("")).messageExpiryInterval()).isEqualTo(BraidMessage.ABSENT);
    assertThatThrownBy(() -> Publish.builder("t", text("")).messageExpiryInterval(-2).build())
        .hasMessage("PUBLISH.messageExpiryInterval: must be 0..4294967295, was -2");
    assertThatThrownBy(() -> Publish.builder("t", text("")).messageExpiryInterval(1L << 32).build())
        .hasMessage("PUBLISH.messageExpiryInterval: must be 0..4294967295, was 4294967296");
    assertThatThrownBy(() -> ConnAck.builder(0).maximumMessageSize(0).build())
        .hasMessage("CONNACK.maximumMessageSize: must be 1..4294967295, was 0");
    assertThatThrownBy(() -> new Subscribe("t", SubscribeOptions.of(0), 0, List.of()))
        .hasMessage("SUBSCRIBE.subscriptionIdentifier: must be 1..268435455, was 0");
  }

  @Test
  void listsAreCopiedAndImmutable() {
    List<UserProperty> properties = new ArrayList<>(List.of(new UserProperty("a", "1")));
    Unsubscribe unsubscribe = new Unsubscribe(properties);
    properties.add(new UserProperty("b", "2"));
    assertThat(unsubscribe.userProperties()).containsExactly(new UserProperty("a", "1"));
    assertThatThrownBy(() -> unsubscribe.userProperties().add(new UserProperty("c", "3")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void authDataNeedsAnAuthMethod() {
    assertThatThrownBy(() -> Connect.builder("c").auth(null, text("x")).build())
        .hasMessage("CONNECT.authData: requires authMethod");
  }

  @Test
  void secretsStayOutOfToString() {
    Connect connect = Connect.builder("c").username("u").password(text("hunter2")).token("eyJsecret").build();
    assertThat(connect.toString()).doesNotContain("hunter2", "eyJsecret").contains("password=<7 bytes>");
  }

  @Test
  void encodersRefuseLoneSurrogates() {
    Publish publish = Publish.of("a\ud800", text(""));
    assertThatThrownBy(() -> BinaryMessageCodec.INSTANCE.encode(publish))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PUBLISH.topic: lone surrogate at index 1 has no UTF-8 form");
    assertThatThrownBy(() -> JsonMessageCodec.INSTANCE.encode(publish))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("publish.topic: lone surrogate at index 1 has no UTF-8 form");
  }

  @Test
  void codecsAreFoundBySubprotocol() {
    assertThat(MessageCodec.forSubprotocol("braid.v1")).isSameAs(BinaryMessageCodec.INSTANCE);
    assertThat(MessageCodec.forSubprotocol("braid.v1.json")).isSameAs(JsonMessageCodec.INSTANCE);
    assertThat(MessageCodec.forSubprotocol("mqtt")).isNull();
  }

  @Test
  void malformedExceptionsNameTheFieldAndTheReason() {
    MalformedException e = new MalformedException("PUBLISH.topic", "not valid UTF-8");
    assertThat(e.field()).isEqualTo("PUBLISH.topic");
    assertThat(e.reason()).isEqualTo("not valid UTF-8");
  }
}
