package io.braid.protocol.mqtt;

import static io.braid.protocol.mqtt.MqttWire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mqtt.MqttPacket.Ack;
import io.braid.protocol.mqtt.MqttPacket.Connect;
import io.braid.protocol.mqtt.MqttPacket.Publish;
import io.braid.protocol.mqtt.MqttPacket.Will;
import io.braid.protocol.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets byte for byte, built from the layouts of the MQTT 3.1.1 and 5 specifications, decoded under every split. */
class MqttSpecVectorsTest {
  private static final Connect CONNECT_V3 = new Connect(MqttVersion.V3_1_1, "c", true, 10, "u", Buffer.buffer("p"),
      new Will("w", Buffer.buffer("m"), 1, false, MqttProperties.NONE), MqttProperties.NONE);
  // 3.1.1 §3.1: "MQTT", level 4, flags 0xCE (user name, password, will QoS 1, will, clean session), keep alive 10
  private static final String CONNECT_V3_HEX =
      "10 19 00 04 4d 51 54 54 04 ce 00 0a 00 01 63 00 01 77 00 01 6d 00 01 75 00 01 70";

  private static final Connect CONNECT_V5 = new Connect(MqttVersion.V5, "c", true, 10, null, null, null,
      MqttProperties.builder().put(MqttProperty.SESSION_EXPIRY_INTERVAL, 10).build());
  // 5 §3.1.2.12: flags 0x02, keep alive 10, properties: length 5, session expiry interval (0x11) 10
  private static final String CONNECT_V5_HEX = "10 13 00 04 4d 51 54 54 05 02 00 0a 05 11 00 00 00 0a 00 01 63";

  private static void assertServerDecodesUnderEverySplit(String hex, MqttPacket expected) {
    Splits.of(hex(hex)).forEach(split ->
        assertThat(MqttWire.serverReads(split.pieces().toArray(Buffer[]::new))).as("split %s", split)
            .containsExactly(expected));
  }

  @Test
  void connectOf311() {
    assertServerDecodesUnderEverySplit(CONNECT_V3_HEX, CONNECT_V3);
    assertThat(hex(MqttEncoder.encode(CONNECT_V3, MqttVersion.V3_1_1))).isEqualTo(CONNECT_V3_HEX);
  }

  @Test
  void connectOf5WithASessionExpiryInterval() {
    assertServerDecodesUnderEverySplit(CONNECT_V5_HEX, CONNECT_V5);
    assertThat(hex(MqttEncoder.encode(CONNECT_V5, MqttVersion.V5))).isEqualTo(CONNECT_V5_HEX);
  }

  @Test
  void publishQos1Of311() {
    Publish publish = new Publish("a/b", 1, false, false, 10, Buffer.buffer("hi"), MqttProperties.NONE);
    String wire = "32 09 00 03 61 2f 62 00 0a 68 69";
    assertThat(hex(MqttEncoder.encode(publish, MqttVersion.V3_1_1))).isEqualTo(wire);
    assertThat(MqttWire.serverReads(Buffer.buffer(hex(CONNECT_V3_HEX)), Buffer.buffer(hex(wire))))
        .containsExactly(CONNECT_V3, publish);
  }

  @Test
  void publishOf5WithATopicAliasAndAnEmptyTopic() {
    Publish publish = new Publish("", 0, true, false, 0, Buffer.buffer("x"),
        MqttProperties.builder().put(MqttProperty.TOPIC_ALIAS, 3).build());
    String wire = "31 07 00 00 03 23 00 03 78";
    assertThat(hex(MqttEncoder.encode(publish, MqttVersion.V5))).isEqualTo(wire);
    assertThat(MqttWire.clientReads(MqttVersion.V5, Buffer.buffer(hex(wire)))).containsExactly(publish);
  }

  @Test
  void subscribeOf311AndOf5WithOptions() {
    MqttPacket.Subscribe v3 = new MqttPacket.Subscribe(1, List.of(MqttPacket.Subscription.of("a/b", 1)), MqttProperties.NONE);
    assertThat(hex(MqttEncoder.encode(v3, MqttVersion.V3_1_1))).isEqualTo("82 08 00 01 00 03 61 2f 62 01");
    MqttPacket.Subscribe v5 = new MqttPacket.Subscribe(2,
        List.of(new MqttPacket.Subscription("a/#", 2, true, true, 2)),
        MqttProperties.builder().put(MqttProperty.SUBSCRIPTION_IDENTIFIER, 200).build());
    // options 0x2e: retain handling 2, retain as published, no local, QoS 2; identifier 200 as 0xc8 0x01
    assertThat(hex(MqttEncoder.encode(v5, MqttVersion.V5))).isEqualTo("82 0c 00 02 03 0b c8 01 00 03 61 2f 23 2e");
    assertThat(MqttWire.serverReads(Buffer.buffer(hex(CONNECT_V5_HEX)),
        MqttEncoder.encode(v5, MqttVersion.V5))).containsExactly(CONNECT_V5, v5);
  }

  @Test
  void acknowledgementsOf5TakeTheirShortestForm() {
    Ack success = new Ack(MqttPacketType.PUBACK, 10, 0, MqttProperties.NONE);
    Ack noSubscribers = new Ack(MqttPacketType.PUBACK, 10, ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.NONE);
    Ack release = new Ack(MqttPacketType.PUBREL, 7, 0, MqttProperties.NONE);
    assertThat(hex(MqttEncoder.encode(success, MqttVersion.V5))).isEqualTo("40 02 00 0a");
    assertThat(hex(MqttEncoder.encode(noSubscribers, MqttVersion.V5))).isEqualTo("40 03 00 0a 10");
    assertThat(hex(MqttEncoder.encode(release, MqttVersion.V5))).isEqualTo("62 02 00 07");
    assertThat(MqttWire.clientReads(MqttVersion.V5, Buffer.buffer(hex("40 02 00 0a 40 03 00 0a 10 62 02 00 07"))))
        .containsExactly(success, noSubscribers, release);
  }

  @Test
  void pingsAndDisconnect() {
    assertThat(hex(MqttEncoder.encode(new MqttPacket.PingReq(), MqttVersion.V5))).isEqualTo("c0 00");
    assertThat(hex(MqttEncoder.encode(new MqttPacket.PingResp(), MqttVersion.V3_1_1))).isEqualTo("d0 00");
    assertThat(hex(MqttEncoder.encode(new MqttPacket.Disconnect(0, MqttProperties.NONE), MqttVersion.V5))).isEqualTo("e0 00");
    assertThat(hex(MqttEncoder.encode(new MqttPacket.Disconnect(ReasonCode.SERVER_SHUTTING_DOWN,
        MqttProperties.builder().put(MqttProperty.SERVER_REFERENCE, "b:1883").build()), MqttVersion.V5)))
        .isEqualTo("e0 0b 8b 09 1c 00 06 62 3a 31 38 38 33");
  }

  @Test
  void a311SubscribeCarriesOnlyTheQosOfItsOptions() {
    MqttPacket.Subscribe subscribe = new MqttPacket.Subscribe(1,
        List.of(new MqttPacket.Subscription("a/b", 1, true, true, 2)), MqttProperties.NONE);
    assertThat(hex(MqttEncoder.encode(subscribe, MqttVersion.V3_1_1))).isEqualTo("82 08 00 01 00 03 61 2f 62 01");
  }

  @Test
  void authWithAReasonCodeAlwaysCarriesItsPropertyLength() {
    MqttPacket.Auth auth = new MqttPacket.Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.NONE);
    assertThat(hex(MqttEncoder.encode(auth, MqttVersion.V5))).isEqualTo("f0 02 18 00");
    assertThat(MqttWire.clientReads(MqttVersion.V5, Buffer.buffer(hex("f0 02 18 00")))).containsExactly(auth);
  }

  @Test
  void anUnsubAckOf5WithoutReasonCodesIsAProtocolError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> MqttWire.clientReads(MqttVersion.V5,
            Buffer.buffer(hex("b0 03 00 01 00"))))
        .isInstanceOfSatisfying(MqttDecodeException.class, e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR));
  }

  @Test
  void connAckOf311CarriesAReturnCode() {
    MqttPacket.ConnAck refused = new MqttPacket.ConnAck(false, MqttReasonCodes.V3_NOT_AUTHORIZED, MqttProperties.NONE);
    assertThat(hex(MqttEncoder.encode(refused, MqttVersion.V3_1_1))).isEqualTo("20 02 00 05");
    assertThat(MqttWire.clientReads(MqttVersion.V3_1_1, Buffer.buffer(hex("20 02 01 00"))))
        .containsExactly(new MqttPacket.ConnAck(true, 0, MqttProperties.NONE));
  }
}
