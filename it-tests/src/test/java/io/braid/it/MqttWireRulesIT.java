package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.BrokerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The MQTT listener against raw bytes, grouped by section of the MQTT 5.0 and 3.1.1 specifications: every malformed
 * packet and every limit is answered as the spec says (CONNACK or DISCONNECT with its reason code, or the close) and
 * costs nothing to others: after each test a fresh client still connects, subscribes and gets its message.
 * Vectors are written out byte for byte; comments decode them.
 */
@Timeout(30)
class MqttWireRulesIT {

  /** CONNECT, MQTT 5, clean start, keep-alive 60 s, no properties, client id "a". */
  private static final String CONNECT_V5 = "10 0e 0004 4d515454 05 02 003c 00 0001 61";
  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s, client id "a". */
  private static final String CONNECT_V311 = "10 0d 0004 4d515454 04 02 003c 0001 61";

  private static BrokerRuntime broker;

  @BeforeAll
  static void start() {
    broker = TestBrokers.start("mqtt.receiveMaximum", "2", "limits.maxMessageBytes", "1024",
        "limits.maxFramePayload", "1024", "sessions.connectTimeoutMillis", "1000");
  }

  @AfterAll
  static void stop() throws Exception {
    TestBrokers.stop(broker);
  }

  @AfterEach
  void aFreshClientIsStillServed() throws IOException {
    try (MqttWire wire = new MqttWire(broker.mqttPort())) {
      assertConnAck(wire.send("10 12 0004 4d515454 05 02 003c 00 0005 616c697665").readPacket(), "00"); // "alive"
      // SUBSCRIBE id 1, filter "alive" at QoS 1
      assertThat(wire.send("82 0b 0001 00 0005 616c697665 01").readPacket()).isEqualTo("9004000100" + "01");
      // PUBLISH QoS 1 id 2 to "alive", payload "ok"
      wire.send("32 0c 0005 616c697665 0002 00 6f6b");
      String first = wire.readPacket();
      String second = wire.readPacket();
      assertThat(first.startsWith("40") ? first : second).startsWith("40").contains("0002");
      assertThat(first.startsWith("40") ? second : first).startsWith("32").endsWith("6f6b");
    }
  }

  private static MqttWire connected(String connect) throws IOException {
    MqttWire wire = new MqttWire(broker.mqttPort());
    String connAck = wire.send(connect).readPacket();
    assertConnAck(connAck, "00");
    return wire;
  }

  /** A CONNACK with a one-byte remaining length: flags, then the reason (return) code. */
  private static void assertConnAck(String packet, String reasonCode) {
    assertThat(packet).startsWith("20");
    assertThat(packet.substring(6, 8)).as("CONNACK reason code of %s", packet).isEqualTo(reasonCode);
  }

  /** The last packet before the close is a DISCONNECT with {@code reasonCode}. */
  private static void assertDisconnectedWith(MqttWire wire, String reasonCode) throws IOException {
    String packet = wire.lastPacketBeforeClose();
    assertThat(packet).as("DISCONNECT").startsWith("e0");
    assertThat(packet.substring(4, 6)).as("DISCONNECT reason code of %s", packet).isEqualTo(reasonCode);
  }

  private static double errors(String reasonCode) {
    return TestBrokers.metric(broker, "braid_mqtt_errors_total{reason_code=\"" + reasonCode + "\"}");
  }

  @Nested
  @DisplayName("§2 and §3.1 CONNECT")
  class Connect {

    @Test
    void closesAConnectionWhoseFirstPacketIsNotConnect() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        wire.send("c0 00").assertClosed(); // PINGREQ [MQTT-3.1.0-1]
      }
    }

    @Test
    void closesAConnectionWithAReservedPacketType() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        wire.send("00 00").assertClosed(); // type 0 is reserved (§2.1.2)
      }
    }

    @Test
    void closesARemainingLengthOfMoreThanFourBytes() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        wire.send("10 ff ff ff ff 01").assertClosed(); // §1.5.5
      }
    }

    @Test
    void answersMqtt31WithReturnCode1() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        // protocol name "MQIsdp", level 3 (MQTT 3.1)
        wire.send("10 0f 0006 4d5149736470 03 02 003c 0001 61");
        assertThat(wire.readPacket()).isEqualTo("20020001");
        wire.assertClosed();
      }
    }

    @Test
    void refusesAnEmptyMqtt311ClientIdentifierWithoutCleanSession() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        wire.send("10 0c 0004 4d515454 04 00 003c 0000"); // [MQTT-3.1.3-8]
        assertThat(wire.readPacket()).isEqualTo("20020002");
        wire.assertClosed();
      }
    }

    @Test
    void refusesAnMqtt311KeepAliveLongerThanTheBrokerAllows() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        wire.send("10 0d 0004 4d515454 04 02 ffff 0001 61"); // 65,535 s against sessions.maxKeepAliveSeconds
        assertThat(wire.readPacket()).isEqualTo("20020002");
        wire.assertClosed();
      }
    }

    @Test
    void answersAZeroReceiveMaximumWithConnack0x82() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        wire.send("10 11 0004 4d515454 05 02 003c 03 210000 0001 61"); // Receive Maximum 0 (§3.1.2.11.3)
        assertConnAck(wire.readPacket(), "82");
        wire.assertClosed();
      }
    }

    @Test
    void refusesEnhancedAuthenticationWithConnack0x8C() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        wire.send("10 16 0004 4d515454 05 02 003c 08 15 0005 5343524150 0001 61"); // Authentication Method "SCRAP"
        assertConnAck(wire.readPacket(), "8c");
        wire.assertClosed();
      }
    }

    @Test
    void closesAConnectionThatSendsNoConnectInTime() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        wire.assertClosed(); // sessions.connectTimeoutMillis is 1,000 here
      }
    }

    @Test
    void assignsAClientIdentifierToAnEmptyOne() throws IOException {
      try (MqttWire wire = new MqttWire(broker.mqttPort())) {
        String connAck = wire.send("10 0d 0004 4d515454 05 02 003c 00 0000").readPacket();
        assertConnAck(connAck, "00");
        String prefix = HexFormat.of().formatHex("braid-".getBytes(StandardCharsets.UTF_8));
        assertThat(connAck).contains("12" + "002a" + prefix); // Assigned Client Identifier, 42 bytes
      }
    }
  }

  @Nested
  @DisplayName("§3.3 PUBLISH")
  class Publish {

    @Test
    void disconnectsAQos3PublishWith0x81() throws IOException {
      double before = errors("0x81");
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send("36 05 0001 74 00 78"); // QoS bits 11 [MQTT-3.3.1-4]
        assertDisconnectedWith(wire, "81");
      }
      assertThat(errors("0x81")).isEqualTo(before + 1);
    }

    @Test
    void theDisconnectSurvivesPacketsTheClientSendsAfterTheError() throws IOException {
      // closed at once, the broker would answer these PINGREQs with a reset, which destroys the unread DISCONNECT
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send("36 05 0001 74 00 78").awaitUnreadBytes();
        for (int i = 0; i < 10; i++) {
          wire.send("c0 00");
        }
        assertDisconnectedWith(wire, "81");
      }
    }

    @Test
    void disconnectsAQos0PublishToAWildcardTopicWith0x90() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send("30 07 0003 742f23 00 78"); // topic "t/#" [MQTT-3.3.2-2]
        assertDisconnectedWith(wire, "90");
      }
    }

    @Test
    void refusesAQos1PublishToAWildcardTopicInItsPuback() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        String pubAck = wire.send("32 09 0003 742f23 0001 00 78").readPacket();
        assertThat(pubAck).startsWith("40").contains("0001" + "90");
        assertThat(wire.send("c0 00").readPacket()).isEqualTo("d000"); // still connected
      }
    }

    @Test
    void disconnectsATopicAliasOfZeroWith0x82() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send("30 08 0001 74 03 230000 78"); // [MQTT-3.3.2-8]
        assertDisconnectedWith(wire, "82");
      }
    }

    @Test
    void disconnectsATopicAliasAboveTheMaximumWith0x94() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send("30 08 0001 74 03 2307d0 78"); // alias 2,000 > mqtt.topicAliasMaximum 1,024 [MQTT-3.3.2-9]
        assertDisconnectedWith(wire, "94");
      }
    }

    @Test
    void disconnectsAnEmptyTopicWithAnAliasNeverSetWith0x82() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send("30 07 0000 03 230005 78");
        assertDisconnectedWith(wire, "82");
      }
    }

    @Test
    void resolvesATopicAliasSetEarlierOnTheConnection() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        assertThat(wire.send("82 07 0001 00 0001 74 00").readPacket()).isEqualTo("900400010000"); // SUBSCRIBE "t"
        wire.send("30 08 0001 74 03 230001 78"); // "x" to "t", setting alias 1
        assertThat(wire.readPacket()).startsWith("30").contains("000174").endsWith("78");
        wire.send("30 07 0000 03 230001 79"); // "y" to alias 1 alone
        assertThat(wire.readPacket()).startsWith("30").contains("000174").endsWith("79");
      }
    }

    @Test
    void disconnectsAClientPastTheReceiveMaximumWith0x93() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        // three QoS 2 publishes, none released by PUBREL, against mqtt.receiveMaximum 2 [MQTT-3.3.4-9]
        wire.send("34 07 0001 74 0001 00 78");
        assertThat(wire.readPacket()).startsWith("50").contains("0001");
        wire.send("34 07 0001 74 0002 00 78");
        assertThat(wire.readPacket()).startsWith("50").contains("0002");
        wire.send("34 07 0001 74 0003 00 78");
        assertDisconnectedWith(wire, "93");
      }
    }

    @Test
    void disconnectsAPacketLargerThanTheMaximumPacketSizeWith0x95() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send("30 80e807"); // remaining length 128,000 > 1,024 + 65,536: refused before any body byte
        assertDisconnectedWith(wire, "95");
      }
    }

    @Test
    void closesAnMqtt311ConnectionOnAMalformedPublishWithoutADisconnect() throws IOException {
      try (MqttWire wire = connected(CONNECT_V311)) {
        wire.send("36 04 0001 74 78").assertClosed(); // MQTT 3.1.1 has no DISCONNECT from the server
      }
    }
  }

  @Nested
  @DisplayName("§3.12-3.15 and §4.13 the rest of the session")
  class Session {

    @Test
    void disconnectsASecondConnectWith0x82() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send(CONNECT_V5); // [MQTT-3.1.0-2]
        assertDisconnectedWith(wire, "82");
      }
    }

    @Test
    void disconnectsAnAuthPacketWithoutAnAuthenticationMethodWith0x82() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        wire.send("f0 00"); // [MQTT-4.12.0-1]
        assertDisconnectedWith(wire, "82");
      }
    }

    @Test
    void answersPingreqWithPingresp() throws IOException {
      try (MqttWire wire = connected(CONNECT_V311)) {
        assertThat(wire.send("c0 00").readPacket()).isEqualTo("d000");
      }
    }

    @Test
    void disconnectsASilentClientAfterOneAndAHalfKeepAlivesWith0x8D() throws IOException {
      try (MqttWire wire = connected("10 0e 0004 4d515454 05 02 0001 00 0001 61")) { // keep-alive 1 s
        assertDisconnectedWith(wire, "8d"); // [MQTT-3.1.2-22]
      }
    }

    @Test
    void refusesASubscriptionToAnInvalidFilterInItsSuback() throws IOException {
      try (MqttWire wire = connected(CONNECT_V5)) {
        // SUBSCRIBE id 7: "a/#/b" (# not last) and "ok" at QoS 2
        String subAck = wire.send("82 10 0007 00 0005 612f232f62 00 0002 6f6b 02").readPacket();
        assertThat(subAck).startsWith("90").endsWith("8f02");
      }
    }

    @Test
    void answersAnMqtt311SubscriptionToAnInvalidFilterWith0x80() throws IOException {
      try (MqttWire wire = connected(CONNECT_V311)) {
        assertThat(wire.send("82 0a 0007 0005 612f232f62 00").readPacket()).isEqualTo("9003000780");
      }
    }
  }
}
