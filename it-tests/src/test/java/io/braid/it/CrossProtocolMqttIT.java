package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.MessageProperties;
import io.braid.client.ReceivedMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT clients (Eclipse Paho, MQTT 3.1.1 over TCP) and Braid's own SDK (WebSocket) on one broker, in both directions:
 * every QoS, retained messages and persistent sessions, with topic and payload bytes arriving exactly as sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrossProtocolMqttIT {

  private static final long WAIT_SECONDS = 10;
  /**
   * A topic beyond ASCII: UTF-8 must survive both protocols unchanged. (Within the BMP: Paho 1.2.5 refuses a topic with
   * a surrogate pair, checking UTF-16 chars one by one.)
   */
  private static final String TOPIC = "cross/grüße-日本/data";
  private static Vertx vertx;

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension();
  private final List<MqttClient> pahoClients = new ArrayList<>();
  private final List<BraidClient> sdkClients = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeClients() throws Exception {
    for (MqttClient client : pahoClients) {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1_000, false);
      }
      client.close(true);
    }
    for (BraidClient client : sdkClients) {
      client.disconnect().await(10, TimeUnit.SECONDS);
    }
  }

  /** Every byte value, twice: no encoding may touch a payload. */
  private static byte[] binaryPayload(int qos) {
    byte[] payload = new byte[513];
    for (int i = 0; i < 512; i++) {
      payload[i] = (byte) i;
    }
    payload[512] = (byte) qos;
    return payload;
  }

  /** A message as Paho handed it to the application. */
  record PahoReceived(String topic, byte[] payload, int qos, boolean retained) {}

  private MqttClient paho(String clientId, boolean cleanSession, BlockingQueue<PahoReceived> inbox)
      throws MqttException {
    MqttClient client = new MqttClient("tcp://" + TestServers.HOST + ":" + broker.runtime().mqttPort(), clientId,
        new MemoryPersistence());
    client.setTimeToWait(WAIT_SECONDS * 1_000);
    pahoClients.add(client);
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) { }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        inbox.add(new PahoReceived(topic, message.getPayload(), message.getQos(), message.isRetained()));
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) { }
    });
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(cleanSession);
    options.setConnectionTimeout(10);
    client.connect(options);
    return client;
  }

  private MqttClient paho(String clientId) throws MqttException {
    return paho(clientId, true, new LinkedBlockingQueue<>());
  }

  private BraidClient sdk(String clientId, boolean persistent) throws Exception {
    BraidClientOptions options = new BraidClientOptions().uris("ws://" + TestServers.HOST + ":" + broker.port()
        + "/braid").clientId(clientId);
    if (persistent) {
      options.persistentSession(600);
    }
    BraidClient client = BraidClient.create(vertx, options);
    sdkClients.add(client);
    await(client.connect());
    return client;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static <T> T next(BlockingQueue<T> inbox) throws InterruptedException {
    T message = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(message).as("a message within " + WAIT_SECONDS + " s").isNotNull();
    return message;
  }

  // ------------------------------------------------------------------------------------------ live, every QoS

  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {0, 1, 2})
  void anSdkSubscriberGetsAPahoPublishWithTheSameTopicAndBytes(int qos) throws Exception {
    BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
    BraidClient subscriber = sdk("sdk-reader", false);
    await(subscriber.subscribe("cross/+/data", 2, received::add));
    MqttClient publisher = paho("paho-writer");

    publisher.publish(TOPIC, binaryPayload(qos), qos, false);

    ReceivedMessage message = next(received);
    assertThat(message.topic()).isEqualTo(TOPIC);
    assertThat(message.payload().getBytes()).containsExactly(binaryPayload(qos));
    assertThat(message.qos()).isEqualTo(qos);
    assertThat(message.retain()).isFalse();
  }

  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {0, 1, 2})
  void aPahoSubscriberGetsAnSdkPublishWithTheSameTopicAndBytes(int qos) throws Exception {
    BlockingQueue<PahoReceived> received = new LinkedBlockingQueue<>();
    MqttClient subscriber = paho("paho-reader", true, received);
    subscriber.subscribe("cross/+/data", 2);
    BraidClient publisher = sdk("sdk-writer", false);

    await(publisher.publish(TOPIC, Buffer.buffer(binaryPayload(qos)), qos));

    PahoReceived message = next(received);
    assertThat(message.topic()).isEqualTo(TOPIC);
    assertThat(message.payload()).containsExactly(binaryPayload(qos));
    assertThat(message.qos()).isEqualTo(qos);
    assertThat(message.retained()).isFalse();
  }

  // ------------------------------------------------------------------------------------------ retained

  @Test
  void aRetainedSdkPublishReachesALaterPahoSubscriberFlaggedRetained() throws Exception {
    BraidClient publisher = sdk("sdk-retainer", false);
    await(publisher.publish(TOPIC, Buffer.buffer(binaryPayload(1)), 1, true, MessageProperties.NONE));

    BlockingQueue<PahoReceived> received = new LinkedBlockingQueue<>();
    MqttClient subscriber = paho("paho-late", true, received);
    subscriber.subscribe("cross/#", 1);

    PahoReceived message = next(received);
    assertThat(message.topic()).isEqualTo(TOPIC);
    assertThat(message.payload()).containsExactly(binaryPayload(1));
    assertThat(message.retained()).isTrue();
  }

  @Test
  void aRetainedPahoPublishReachesALaterSdkSubscriberFlaggedRetained() throws Exception {
    MqttClient publisher = paho("paho-retainer");
    publisher.publish(TOPIC, binaryPayload(2), 2, true);

    BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
    BraidClient subscriber = sdk("sdk-late", false);
    await(subscriber.subscribe("cross/#", 2, received::add));

    ReceivedMessage message = next(received);
    assertThat(message.topic()).isEqualTo(TOPIC);
    assertThat(message.payload().getBytes()).containsExactly(binaryPayload(2));
    assertThat(message.qos()).isEqualTo(2);
    assertThat(message.retain()).isTrue();
  }

  // ------------------------------------------------------------------------------------------ persistent sessions

  @Test
  void anSdkPersistentSessionGetsThePahoPublishesQueuedWhileItWasAway() throws Exception {
    BraidClient first = sdk("sdk-keeper", true);
    await(first.subscribe("orders/#", 2, message -> { }));
    await(first.disconnect());
    sdkClients.remove(first);
    MqttClient publisher = paho("paho-shop");
    publisher.publish("orders/1", binaryPayload(1), 1, false);
    publisher.publish("orders/2", binaryPayload(2), 2, false);

    BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
    BraidClient again = sdk("sdk-keeper", true);
    await(again.subscribe("orders/#", 2, received::add)); // reattaches the kept subscription (PROTOCOL.md 8.3)

    ReceivedMessage one = next(received);
    ReceivedMessage two = next(received);
    assertThat(List.of(one.topic(), two.topic())).containsExactly("orders/1", "orders/2");
    assertThat(one.payload().getBytes()).containsExactly(binaryPayload(1));
    assertThat(two.payload().getBytes()).containsExactly(binaryPayload(2));
    assertThat(List.of(one.qos(), two.qos())).containsExactly(1, 2);
  }

  @Test
  void aPahoPersistentSessionGetsTheSdkPublishesQueuedWhileItWasAway() throws Exception {
    MqttClient first = paho("paho-keeper", false, new LinkedBlockingQueue<>());
    first.subscribe("alerts/#", 2);
    first.disconnect();
    BraidClient publisher = sdk("sdk-alarm", false);
    await(publisher.publish("alerts/fire", Buffer.buffer(binaryPayload(1)), 1));
    await(publisher.publish("alerts/flood", Buffer.buffer(binaryPayload(2)), 2));

    BlockingQueue<PahoReceived> received = new LinkedBlockingQueue<>();
    paho("paho-keeper", false, received);

    PahoReceived fire = next(received);
    PahoReceived flood = next(received);
    assertThat(List.of(fire.topic(), flood.topic())).containsExactly("alerts/fire", "alerts/flood");
    assertThat(fire.payload()).containsExactly(binaryPayload(1));
    assertThat(flood.payload()).containsExactly(binaryPayload(2));
    assertThat(List.of(fire.qos(), flood.qos())).containsExactly(1, 2);
  }
}
