package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.Connect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent session's subscription is kept once its SUBACK went out, even if the broker is killed ({@code kill -9})
 * right after: the acknowledgement waits for the store's commit, not for the next idle one. Over Braid's protocol and
 * over MQTT (Eclipse Paho), each with nothing else written to the store that could commit it by chance.
 */
class DurableSubscriptionIT {

  @TempDir
  Path dataDirectory;
  private ChildBroker broker;

  @AfterEach
  void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aSubscriptionAcknowledgedJustBeforeAKill9IsStillThereAfterTheRestart() throws Exception {
    broker = ChildBroker.start("--data-dir", dataDirectory.toString());
    Connect watcher = Connect.builder("watcher").keepAlive(60).sessionExpiryInterval(86_400).build();
    try (BrokerTestClient subscriber = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY, watcher)) {
      subscriber.send(1, false, Subscribe.of("watch/#", 1));
      assertThat(subscriber.nextMessageOn(1)).isInstanceOf(SubAck.class);
      broker.kill9();
    }

    broker = ChildBroker.start("--data-dir", dataDirectory.toString());

    try (EndpointTestClient publisher = EndpointTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder("publisher").cleanStart(true).keepAlive(60).build())) {
      publisher.send(publisher.openStream(), Publish.of("watch/door", Buffer.buffer("open"), 1, 1), false);
      PubAck ack = (PubAck) publisher.next().message();
      assertThat(ack.reasonCode()).as("0x10 would say no one subscribes: the subscription was forgotten")
          .isEqualTo(ReasonCode.SUCCESS);
    }
  }

  @Test
  void anMqttSubscriptionAcknowledgedJustBeforeAKill9IsStillThereAfterTheRestart() throws Exception {
    int mqttPort = TestClusters.freePort();
    broker = ChildBroker.start("--data-dir", dataDirectory.toString(), "--set", "mqtt.port=" + mqttPort);
    MqttClient subscriber = client(mqttPort, "mqtt-watcher");
    subscriber.connect(options(false));
    subscriber.subscribe("watch/#", 1); // returns on SUBACK
    broker.kill9();
    forget(subscriber);

    broker = ChildBroker.start("--data-dir", dataDirectory.toString(), "--set", "mqtt.port=" + mqttPort);

    MqttClient publisher = client(mqttPort, "mqtt-publisher");
    publisher.connect(options(true));
    publisher.publish("watch/door", "open".getBytes(StandardCharsets.UTF_8), 1, false);
    publisher.disconnect();
    publisher.close();
    BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
    MqttClient resumed = client(mqttPort, "mqtt-watcher");
    resumed.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
      }
    });
    resumed.connect(options(false)); // no SUBSCRIBE: the session's own subscription must deliver
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("watch/door open");
    resumed.disconnect();
    resumed.close();
  }

  /** Drops a client whose broker was killed, whether or not Paho has noticed the lost connection yet. */
  private static void forget(MqttClient client) throws MqttException {
    try {
      client.disconnectForcibly(0, 1_000, false);
    } catch (MqttException alreadyLost) {
      // Paho saw the connection go first: nothing to disconnect
    }
    client.close(true);
  }

  private static MqttClient client(int port, String clientId) throws Exception {
    MqttClient client = new MqttClient("tcp://" + TestServers.HOST + ":" + port, clientId, new MemoryPersistence());
    client.setTimeToWait(10_000);
    return client;
  }

  private static MqttConnectOptions options(boolean cleanSession) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(cleanSession);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    options.setAutomaticReconnect(false);
    return options;
  }
}
