package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.braid.server.BrokerRuntime;
import io.braid.server.auth.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eclipse Paho's MQTT 5 client against Braid's MQTT listener: subscription options (identifiers, no local, retain as
 * published, retain handling), every message property end to end, topic aliases from the client, session expiry,
 * assigned client identifiers and Receive Maximum both ways. (Aliases to the client are checked with mosquitto_sub in
 * {@link MosquittoClientsIT}: Paho 1.2.5 does not resolve an alias sent with an empty topic, eclipse-paho/paho.mqtt.java#866.) Each test has its own broker on free ports.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PahoMqtt5IT {

  private static final long WAIT_MILLIS = 10_000;

  @TempDir
  Path directory;
  private BrokerRuntime broker;
  private final List<MqttAsyncClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (MqttAsyncClient client : clients) {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1_000, false);
      }
      client.close(true);
    }
    TestBrokers.stop(broker);
  }

  /** A message as Paho handed it to the application. */
  record Received(String topic, MqttMessage message) {
    String payload() {
      return new String(message.getPayload(), StandardCharsets.UTF_8);
    }

    MqttProperties properties() {
      return message.getProperties();
    }
  }

  /** Every message a client receives, in order, with bounded waits. */
  static final class Inbox implements MqttCallback {
    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      messages.add(new Received(topic, message));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) { }

    @Override
    public void mqttErrorOccurred(MqttException exception) { }

    @Override
    public void deliveryComplete(IMqttToken token) { }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) { }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) { }

    Received next() throws InterruptedException {
      Received message = messages.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      assertThat(message).as("a message within " + WAIT_MILLIS + " ms").isNotNull();
      return message;
    }
  }

  /** A connected client and what it received. */
  record Client(MqttAsyncClient paho, Inbox inbox, IMqttToken connAck) {}

  private static MqttConnectionOptions options() {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    options.setAutomaticReconnect(false);
    return options;
  }

  private Client connect(String clientId, MqttConnectionOptions options) throws MqttException {
    MqttAsyncClient paho = new MqttAsyncClient("tcp://" + TestServers.HOST + ":" + broker.mqttPort(), clientId,
        new MemoryPersistence());
    clients.add(paho);
    Inbox inbox = new Inbox();
    paho.setCallback(inbox); // before CONNECT: a resumed session's messages may follow the CONNACK at once
    IMqttToken connAck = paho.connect(options);
    connAck.waitForCompletion(WAIT_MILLIS);
    return new Client(paho, inbox, connAck);
  }

  private Client connect(String clientId) throws MqttException {
    return connect(clientId, options());
  }

  private static IMqttToken subscribe(Client client, MqttSubscription subscription, Integer identifier)
      throws MqttException {
    MqttProperties properties = new MqttProperties();
    if (identifier != null) {
      properties.setSubscriptionIdentifier(identifier);
    }
    IMqttToken token = client.paho().subscribe(new MqttSubscription[] {subscription}, null, null, properties);
    token.waitForCompletion(WAIT_MILLIS);
    return token;
  }

  private static void subscribe(Client client, String filter, int qos) throws MqttException {
    subscribe(client, new MqttSubscription(filter, qos), null);
  }

  private static void publish(Client client, String topic, MqttMessage message) throws MqttException {
    client.paho().publish(topic, message).waitForCompletion(WAIT_MILLIS); // PUBACK / PUBCOMP for QoS 1 / 2
  }

  private static void publish(Client client, String topic, String payload, int qos, boolean retained)
      throws MqttException {
    publish(client, topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), qos, retained,
        new MqttProperties()));
  }

  private static MqttSubscription subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished,
      int retainHandling) {
    MqttSubscription subscription = new MqttSubscription(filter, qos);
    subscription.setNoLocal(noLocal);
    subscription.setRetainAsPublished(retainAsPublished);
    subscription.setRetainHandling(retainHandling);
    return subscription;
  }

  // ------------------------------------------------------------------------------------------ subscription options

  @Test
  void tagsEachDeliveryWithTheIdentifiersOfTheSubscriptionsItMatches() throws Exception {
    broker = TestBrokers.start();
    Client subscriber = connect("identified");
    subscribe(subscriber, new MqttSubscription("sensors/#", 1), 7);
    subscribe(subscriber, new MqttSubscription("sensors/+/temp", 1), 9);
    Client publisher = connect("sensor");

    publish(publisher, "sensors/a/humidity", "55", 1, false);
    assertThat(subscriber.inbox().next().properties().getSubscriptionIdentifiers()).containsExactly(7);

    publish(publisher, "sensors/a/temp", "21", 1, false);
    publish(publisher, "sensors/end", "end", 1, false);
    Set<Integer> identifiers = new HashSet<>();
    for (Received received = subscriber.inbox().next(); !received.topic().equals("sensors/end");
        received = subscriber.inbox().next()) {
      assertThat(received.topic()).isEqualTo("sensors/a/temp");
      identifiers.addAll(received.properties().getSubscriptionIdentifiers());
    }
    assertThat(identifiers).as("one delivery with both or one per subscription [MQTT-3.3.4-3]").containsOnly(7, 9);
  }

  @Test
  void noLocalKeepsAClientsOwnPublishesFromItsSubscription() throws Exception {
    broker = TestBrokers.start();
    Client chatter = connect("chatter");
    subscribe(chatter, subscription("chat/#", 1, true, false, 0), null);
    Client other = connect("other");

    publish(chatter, "chat/room", "my own words", 1, false);
    publish(other, "chat/room", "someone else's", 1, false);

    assertThat(chatter.inbox().next().payload()).as("not its own [MQTT-3.8.3-3]").isEqualTo("someone else's");
  }

  @Test
  void retainAsPublishedKeepsTheRetainFlagOnLiveDeliveries() throws Exception {
    broker = TestBrokers.start();
    Client keeping = connect("keeping");
    subscribe(keeping, subscription("state/#", 1, false, true, 0), null);
    Client clearing = connect("clearing");
    subscribe(clearing, subscription("state/#", 1, false, false, 0), null);
    Client publisher = connect("state-source");

    publish(publisher, "state/lamp", "on", 1, true);

    assertThat(keeping.inbox().next().message().isRetained()).isTrue();
    assertThat(clearing.inbox().next().message().isRetained()).isFalse();
  }

  @Test
  void retainHandlingDecidesWhetherASubscribeGetsTheRetainedMessages() throws Exception {
    broker = TestBrokers.start();
    Client publisher = connect("config-source");
    publish(publisher, "config/mode", "eco", 1, true);
    Client subscriber = connect("config-reader");

    subscribe(subscriber, subscription("config/#", 1, false, false, 2), null);
    publish(publisher, "config/marker", "m1", 1, false);
    assertThat(subscriber.inbox().next().payload()).as("retain handling 2: none").isEqualTo("m1");
    subscriber.paho().unsubscribe("config/#").waitForCompletion(WAIT_MILLIS);

    subscribe(subscriber, subscription("config/+", 1, false, false, 1), null);
    Received retained = subscriber.inbox().next();
    assertThat(retained.payload()).as("retain handling 1, a new subscription").isEqualTo("eco");
    assertThat(retained.message().isRetained()).isTrue();
    subscribe(subscriber, subscription("config/+", 1, false, false, 1), null);
    publish(publisher, "config/marker2", "m2", 1, false);
    assertThat(subscriber.inbox().next().payload()).as("retain handling 1, an existing subscription: none")
        .isEqualTo("m2");

    subscribe(subscriber, subscription("config/+", 1, false, false, 0), null);
    assertThat(subscriber.inbox().next().payload()).as("retain handling 0: always").isEqualTo("eco");
  }

  // ------------------------------------------------------------------------------------------ message properties

  @Test
  void forwardsEveryPublishPropertyUnaltered() throws Exception {
    broker = TestBrokers.start();
    Client responder = connect("responder");
    subscribe(responder, "requests/+", 2);
    Client requester = connect("requester");

    MqttProperties properties = new MqttProperties();
    properties.setUserProperties(List.of(new UserProperty("trace", "a1"), new UserProperty("trace", "a2"),
        new UserProperty("région", "δ")));
    properties.setResponseTopic("replies/requester");
    byte[] correlation = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    properties.setCorrelationData(correlation);
    properties.setContentType("application/json; charset=utf-8");
    properties.setPayloadFormat(true);
    properties.setMessageExpiryInterval(3_600L);
    publish(requester, "requests/time", new MqttMessage("{\"q\":\"time\"}".getBytes(StandardCharsets.UTF_8), 2,
        false, properties));

    Received request = responder.inbox().next();
    MqttProperties got = request.properties();
    assertThat(request.payload()).isEqualTo("{\"q\":\"time\"}");
    assertThat(got.getUserProperties()).as("in order, duplicates kept [MQTT-3.3.2-18]")
        .containsExactly(new UserProperty("trace", "a1"), new UserProperty("trace", "a2"),
            new UserProperty("région", "δ"));
    assertThat(got.getResponseTopic()).isEqualTo("replies/requester");
    assertThat(got.getCorrelationData()).containsExactly(correlation);
    assertThat(got.getContentType()).isEqualTo("application/json; charset=utf-8");
    assertThat(got.getPayloadFormat()).isTrue();
    assertThat(got.getMessageExpiryInterval()).isBetween(3_590L, 3_600L);

    subscribe(requester, "replies/requester", 1);
    MqttMessage reply = new MqttMessage("12:00".getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties());
    reply.getProperties().setCorrelationData(got.getCorrelationData());
    publish(responder, got.getResponseTopic(), reply);
    Received answer = requester.inbox().next();
    assertThat(answer.payload()).isEqualTo("12:00");
    assertThat(answer.properties().getCorrelationData()).containsExactly(correlation);
    assertThat(answer.properties().getPayloadFormat()).isFalse();
  }

  @Test
  void aRetainedMessageExpiresAfterItsMessageExpiryInterval() throws Exception {
    broker = TestBrokers.start();
    Client publisher = connect("short-lived");
    MqttProperties properties = new MqttProperties();
    properties.setMessageExpiryInterval(1L);
    publish(publisher, "news/flash", new MqttMessage("soon stale".getBytes(StandardCharsets.UTF_8), 1, true,
        properties));

    await().atMost(10, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
      Client reader = connect("reader-" + System.nanoTime());
      subscribe(reader, "news/#", 1);
      publish(publisher, "news/marker", "marker", 1, false);
      Received first = reader.inbox().next();
      if (first.topic().equals("news/flash")) {
        assertThat(first.properties().getMessageExpiryInterval()).as("what is left of it").isBetween(0L, 1L);
      }
      reader.paho().disconnect().waitForCompletion(WAIT_MILLIS);
      return first.topic().equals("news/marker"); // expired: no longer sent [MQTT-3.3.2-5]
    });
  }

  @Test
  void publishesTheWillWithItsPropertiesWhenTheConnectionDrops() throws Exception {
    broker = TestBrokers.start();
    Client watcher = connect("will-watcher");
    subscribe(watcher, "wills/#", 1);
    TappedSocketFactory sockets = new TappedSocketFactory();
    MqttConnectionOptions withWill = options();
    withWill.setSocketFactory(sockets);
    MqttProperties willProperties = new MqttProperties();
    willProperties.setContentType("text/plain");
    willProperties.setUserProperties(List.of(new UserProperty("reason", "crash")));
    withWill.setWill("wills/v5-device", new MqttMessage("gone".getBytes(StandardCharsets.UTF_8), 1, false,
        willProperties));
    withWill.setWillMessageProperties(willProperties);
    connect("v5-device", withWill);

    sockets.cut();

    Received will = watcher.inbox().next();
    assertThat(will.topic()).isEqualTo("wills/v5-device");
    assertThat(will.payload()).isEqualTo("gone");
    assertThat(will.properties().getContentType()).isEqualTo("text/plain");
    assertThat(will.properties().getUserProperties()).containsExactly(new UserProperty("reason", "crash"));
  }

  // ------------------------------------------------------------------------------------------ topic aliases

  @Test
  void resolvesTheTopicAliasesAPahoPublisherSets() throws Exception {
    broker = TestBrokers.start();
    Client subscriber = connect("alias-reader");
    subscribe(subscriber, "plant/#", 1);
    TappedSocketFactory sockets = new TappedSocketFactory();
    MqttConnectionOptions tapped = options();
    tapped.setSocketFactory(sockets);
    Client publisher = connect("alias-writer", tapped);
    assertThat(publisher.connAck().getResponseProperties().getTopicAliasMaximum()).isEqualTo(1_024);

    String topic = "plant/building-7/line-3/station-12/temperature";
    for (int i = 0; i < 5; i++) {
      publish(publisher, topic, "t" + i, i % 3, false);
    }

    for (int i = 0; i < 5; i++) {
      Received received = subscriber.inbox().next();
      assertThat(received.topic()).isEqualTo(topic);
      assertThat(received.payload()).isEqualTo("t" + i);
    }
    String written = new String(sockets.sent(), StandardCharsets.ISO_8859_1);
    assertThat(written.split(topic, -1)).as("the topic went out once, then only its alias").hasSize(2);
  }

  // ------------------------------------------------------------------------------------------ sessions

  @Test
  void resumesASessionWithinItsExpiryIntervalAndQueuesWhatCameMeanwhile() throws Exception {
    broker = TestBrokers.start();
    MqttConnectionOptions persistent = options();
    persistent.setCleanStart(false);
    persistent.setSessionExpiryInterval(300L);
    Client first = connect("traveller", persistent);
    assertThat(first.connAck().getSessionPresent()).isFalse();
    subscribe(first, "mail/#", 2);
    first.paho().disconnect().waitForCompletion(WAIT_MILLIS);
    Client sender = connect("post-office");
    publish(sender, "mail/1", "letter", 1, false);
    publish(sender, "mail/2", "parcel", 2, false);

    Client again = connect("traveller", persistent);

    assertThat(again.connAck().getSessionPresent()).isTrue();
    Received letter = again.inbox().next();
    Received parcel = again.inbox().next();
    assertThat(List.of(letter.payload(), parcel.payload())).containsExactly("letter", "parcel");
    assertThat(List.of(letter.message().getQos(), parcel.message().getQos())).containsExactly(1, 2);
  }

  @Test
  void aSessionWithExpiryZeroEndsWithItsConnection() throws Exception {
    broker = TestBrokers.start();
    MqttConnectionOptions shortLived = options();
    shortLived.setCleanStart(false);
    shortLived.setSessionExpiryInterval(0L);
    Client first = connect("mayfly", shortLived);
    subscribe(first, "pond/#", 1);
    first.paho().disconnect().waitForCompletion(WAIT_MILLIS);

    Client again = connect("mayfly", shortLived);

    assertThat(again.connAck().getSessionPresent()).as("[MQTT-3.1.2-23]").isFalse();
  }

  @Test
  void assignsAClientIdentifierToAClientThatSendsAnEmptyOne() throws Exception {
    broker = TestBrokers.start();
    Client anonymous = connect("", options());

    String assigned = anonymous.connAck().getResponseProperties().getAssignedClientIdentifier();
    assertThat(assigned).as("[MQTT-3.2.2-16]").isNotBlank();
    subscribe(anonymous, "anon/#", 1);
    publish(anonymous, "anon/x", "works", 1, false);
    assertThat(anonymous.inbox().next().payload()).isEqualTo("works");
    Client second = connect("", options());
    assertThat(second.connAck().getResponseProperties().getAssignedClientIdentifier()).isNotBlank()
        .isNotEqualTo(assigned);
  }

  // ------------------------------------------------------------------------------------------ flow control

  @Test
  void announcesItsReceiveMaximumAndTakesAPahoPublisherThatKeepsToIt() throws Exception {
    broker = TestBrokers.start("mqtt.receiveMaximum", "2");
    Client subscriber = connect("flow-reader");
    subscribe(subscriber, "flow/#", 1);
    Client publisher = connect("flow-writer");
    assertThat(publisher.connAck().getResponseProperties().getReceiveMaximum()).isEqualTo(2);

    Deque<IMqttToken> inFlight = new ArrayDeque<>();
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      if (inFlight.size() == 2) {
        inFlight.removeFirst().waitForCompletion(WAIT_MILLIS); // Paho keeps to the CONNACK's Receive Maximum
      }
      sent.add("f" + i);
      byte[] payload = ("f" + i).getBytes(StandardCharsets.UTF_8);
      String topic = "flow/" + (i % 3);
      int qos = 1 + i % 2;
      // Paho frees its slot just after completing the token: its own MAX_INFLIGHT refusal is retried
      inFlight.addLast(await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5))
          .ignoreExceptionsMatching(e -> e instanceof MqttException m
              && m.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT)
          .until(() -> publisher.paho().publish(topic, payload, qos, false), token -> token != null));
    }
    for (IMqttToken token : inFlight) {
      token.waitForCompletion(WAIT_MILLIS);
    }
    List<String> received = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      received.add(subscriber.inbox().next().payload());
    }
    assertThat(received).as("each once (QoS 1 and 2 are ordered separately)").containsExactlyInAnyOrderElementsOf(sent);
    assertThat(publisher.paho().isConnected()).as("never past the Receive Maximum (no 0x93)").isTrue();
  }

  @Test
  void keepsAtMostTheClientsReceiveMaximumOfDeliveriesUnacknowledged() throws Exception {
    broker = TestBrokers.start();
    MqttConnectionOptions narrow = options();
    narrow.setReceiveMaximum(2);
    Client subscriber = connect("narrow", narrow);
    subscriber.paho().setManualAcks(true);
    subscribe(subscriber, "work/#", 1);
    Client publisher = connect("work-source");

    for (int i = 0; i < 5; i++) {
      publish(publisher, "work/" + i, "w" + i, 1, false);
    }

    Received first = subscriber.inbox().next();
    Received second = subscriber.inbox().next();
    assertThat(List.of(first.payload(), second.payload())).containsExactly("w0", "w1");
    assertThat(subscriber.inbox().messages.poll(1, TimeUnit.SECONDS)).as("a third only after a PUBACK [MQTT-3.3.4-9]")
        .isNull();
    subscriber.paho().messageArrivedComplete(first.message().getId(), 1);
    assertThat(subscriber.inbox().next().payload()).isEqualTo("w2");
    subscriber.paho().messageArrivedComplete(second.message().getId(), 1);
    assertThat(subscriber.inbox().next().payload()).isEqualTo("w3");
  }

  // ------------------------------------------------------------------------------------------ auth

  @Test
  void refusesABadPasswordWithReasonCode0x86() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "alice:" + PasswordHash.create("wonderland", 1_000).encoded() + "\n");
    broker = TestBrokers.start("auth.anonymous", "false", "auth.usersFile", users.toString());
    MqttConnectionOptions wrong = options();
    wrong.setUserName("alice");
    wrong.setPassword("looking-glass".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> connect("intruder", wrong)).isInstanceOfSatisfying(MqttException.class,
        e -> assertThat(e.getReasonCode()).isEqualTo(0x86));

    MqttConnectionOptions right = options();
    right.setUserName("alice");
    right.setPassword("wonderland".getBytes(StandardCharsets.UTF_8));
    assertThat(connect("alice", right).paho().isConnected()).isTrue();
  }
}
