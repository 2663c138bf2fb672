package io.braid.protocol.mqtt;

import static io.braid.protocol.mqtt.MqttWire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every malformed input the server's decoder refuses, by section of the specification, with the reason code it
 * answers: a CONNECT first where the case needs one (v3: MQTT 3.1.1, v5: MQTT 5), then the bytes. After the error
 * the decoder ignores everything, also a valid packet.
 */
class MqttMalformedPacketTest {
  private static final String CONNECT_V3 = "10 0d 00 04 4d 51 54 54 04 02 00 1e 00 01 63";
  private static final String CONNECT_V5 = "10 0e 00 04 4d 51 54 54 05 02 00 1e 00 00 01 63";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // §2.1.2, §2.1.3: the fixed header
      "reserved packet type 0                       | -  | 00 00                         | 0x81",
      "PUBREL without its required flags            | v5 | 60 02 00 01                   | 0x81",
      "SUBSCRIBE without its required flags         | v5 | 80 06 00 01 00 01 61 00       | 0x81",
      "PINGREQ with a flag set                      | v3 | c1 00                         | 0x81",
      "a client sending CONNACK                     | v5 | 20 02 00 00                   | 0x82",
      // §1.5.5: the remaining length
      "a remaining length of five bytes             | v5 | 30 ff ff ff ff 01             | 0x81",
      // §3.1: CONNECT
      "a first packet that is not CONNECT           | -  | c0 00                         | 0x82",
      "a second CONNECT                             | v3 | " + CONNECT_V3 + "            | 0x82",
      "MQTT 3.1 (MQIsdp, level 3)                   | -  | 10 0f 00 06 4d 51 49 73 64 70 03 02 00 1e 00 01 63 | 0x84",
      "protocol level 6                             | -  | 10 0d 00 04 4d 51 54 54 06 02 00 1e 00 01 63 | 0x84",
      "the reserved connect flag                    | -  | 10 0d 00 04 4d 51 54 54 04 03 00 1e 00 01 63 | 0x81",
      "will QoS 3                                   | -  | 10 0d 00 04 4d 51 54 54 04 1e 00 1e 00 01 63 | 0x81",
      "will retain without a will                   | -  | 10 0d 00 04 4d 51 54 54 04 22 00 1e 00 01 63 | 0x81",
      "a 3.1.1 password without a user name         | -  | 10 10 00 04 4d 51 54 54 04 42 00 1e 00 01 63 00 01 70 | 0x81",
      "bytes after the last CONNECT field           | -  | 10 0e 00 04 4d 51 54 54 04 02 00 1e 00 01 63 00 | 0x81",
      // §3.3: PUBLISH
      "PUBLISH with QoS 3                           | v3 | 36 05 00 01 61 00 01          | 0x81",
      "DUP on a QoS 0 PUBLISH                       | v3 | 38 03 00 01 61                | 0x81",
      "packet identifier 0                          | v3 | 32 05 00 01 61 00 00          | 0x81",
      "a topic that is not UTF-8                    | v3 | 30 03 00 01 ff                | 0x81",
      "a topic with U+0000                          | v3 | 30 03 00 01 00                | 0x81",
      "a topic longer than the packet               | v3 | 30 03 00 09 61                | 0x81",
      // §2.2.2: properties
      "an unknown property                          | v5 | 30 06 00 01 61 02 05 00       | 0x81",
      "a property the packet may not carry          | v5 | 30 07 00 01 61 03 13 00 0a    | 0x82",
      "a property given twice                       | v5 | 30 0e 00 01 61 0a 02 00 00 00 01 02 00 00 00 02 | 0x82",
      "payload format indicator 2                   | v5 | 30 06 00 01 61 02 01 02       | 0x82",
      "topic alias 0                                | v5 | 30 07 00 01 61 03 23 00 00    | 0x82",
      "a property longer than the property length   | v5 | 30 07 00 01 61 02 23 00 05    | 0x81",
      // §3.8: SUBSCRIBE
      "SUBSCRIBE without a topic filter             | v5 | 82 03 00 01 00                | 0x82",
      "reserved subscription option bits            | v5 | 82 07 00 01 00 00 01 61 40    | 0x81",
      "retain handling 3                            | v5 | 82 07 00 01 00 00 01 61 30    | 0x82",
      "3.1.1 options beyond the QoS                 | v3 | 82 06 00 01 00 01 61 04       | 0x81",
      "two subscription identifiers                 | v5 | 82 0b 00 01 04 0b 01 0b 02 00 01 61 00 | 0x82",
      // §3.10, §3.12, §3.15
      "UNSUBSCRIBE without a topic filter           | v3 | a2 02 00 01                   | 0x82",
      "PINGREQ with a body                          | v3 | c0 01 00                      | 0x81",
      "AUTH in MQTT 3.1.1                           | v3 | f0 00                         | 0x81",
      "AUTH with a reason code but no properties    | v5 | f0 01 18                      | 0x81",
      // §3.1.2.11.4: the maximum packet size (1 MiB here)
      "a packet past the maximum packet size        | v5 | 30 ff ff 7f                   | 0x95",
  })
  void isRefusedWithItsReasonCode(String rule, String after, String bytes, String expectedCode) {
    MqttDecoder decoder = MqttDecoder.forServer(MqttWire.MAX_PACKET);
    List<MqttPacket> decoded = new ArrayList<>();
    if (!after.equals("-")) {
      decoder.decode(Buffer.buffer(hex(after.equals("v5") ? CONNECT_V5 : CONNECT_V3)), decoded::add);
    }
    assertThatThrownBy(() -> decoder.decode(Buffer.buffer(hex(bytes)), decoded::add))
        .as(rule).isInstanceOfSatisfying(MqttDecodeException.class,
            e -> assertThat(e.reasonCode()).as("%s: %s", rule, e.getMessage()).isEqualTo(Integer.decode(expectedCode)));
    int before = decoded.size();
    decoder.decode(Buffer.buffer(hex("c0 00")), decoded::add);
    assertThat(decoded).as("packets after the error").hasSize(before);
  }

  @Test
  void knowsTheVersionAMalformedConnectNamedSoThatItCanBeAnsweredInIt() {
    MqttDecoder decoder = MqttDecoder.forServer(MqttWire.MAX_PACKET);
    // MQTT 5 CONNECT with Receive Maximum 0 (§3.1.2.11.3): a protocol error found after the protocol level
    Buffer connect = Buffer.buffer(hex("10 11 00 04 4d 51 54 54 05 02 00 1e 03 21 00 00 00 01 63"));
    assertThatThrownBy(() -> decoder.decode(connect, packet -> { })).isInstanceOf(MqttDecodeException.class);

    assertThat(decoder.version()).isNull();
    assertThat(decoder.connectVersion()).isEqualTo(MqttVersion.V5);
  }

  @Test
  void knowsNoVersionForALevelItDoesNotSpeak() {
    MqttDecoder decoder = MqttDecoder.forServer(MqttWire.MAX_PACKET);
    assertThatThrownBy(() -> decoder.decode(Buffer.buffer(hex("10 0f 00 06 4d 51 49 73 64 70 03 02 00 1e 00 01 63")),
        packet -> { })).isInstanceOf(MqttDecodeException.class);

    assertThat(decoder.connectVersion()).isNull();
  }
}
