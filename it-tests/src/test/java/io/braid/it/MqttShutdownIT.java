package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.BrokerRuntime;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A graceful stop as MQTT clients see it (§4.11 and §3.14): MQTT 5 clients get DISCONNECT 0x8B, or 0x9C with the
 * Server Reference the operator set; MQTT 3.1.1 clients, which have no DISCONNECT from the server, see the close.
 */
@Timeout(30)
class MqttShutdownIT {

  private static final String CONNECT_V5 = "10 0e 0004 4d515454 05 02 003c 00 0001 61";
  private static final String CONNECT_V311 = "10 0d 0004 4d515454 04 02 003c 0001 62";

  @Test
  void tellsMqtt5ClientsTheServerIsShuttingDown() throws Exception {
    BrokerRuntime broker = TestBrokers.start();
    try (MqttWire wire = new MqttWire(broker.mqttPort())) {
      assertThat(wire.send(CONNECT_V5).readPacket()).startsWith("20").contains("0000");
      broker.stop();
      String disconnect = wire.lastPacketBeforeClose();
      assertThat(disconnect).startsWith("e0");
      assertThat(disconnect.substring(4, 6)).isEqualTo("8b");
    } finally {
      TestBrokers.stop(broker);
    }
  }

  @Test
  void sendsMqtt5ClientsToTheServerReferenceWhenOneIsSet() throws Exception {
    BrokerRuntime broker = TestBrokers.start("mqtt.serverReference", "node-b:1883");
    try (MqttWire wire = new MqttWire(broker.mqttPort())) {
      assertThat(wire.send(CONNECT_V5).readPacket()).startsWith("20");
      broker.stop();
      String disconnect = wire.lastPacketBeforeClose();
      assertThat(disconnect.substring(4, 6)).as("reason code of %s", disconnect).isEqualTo("9c");
      // property 0x1C Server Reference, a UTF-8 string of 11 bytes
      String reference = HexFormat.of().formatHex("node-b:1883".getBytes(StandardCharsets.UTF_8));
      assertThat(disconnect).contains("1c000b" + reference);
    } finally {
      TestBrokers.stop(broker);
    }
  }

  @Test
  void closesMqtt311ClientsWithoutADisconnect() throws Exception {
    BrokerRuntime broker = TestBrokers.start();
    try (MqttWire wire = new MqttWire(broker.mqttPort())) {
      assertThat(wire.send(CONNECT_V311).readPacket()).isEqualTo("20020000");
      broker.stop();
      wire.assertClosed();
    } finally {
      TestBrokers.stop(broker);
    }
  }
}
