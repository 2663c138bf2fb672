package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.braid.server.BrokerRuntime;
import io.braid.server.auth.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eclipse Paho's MQTT 3.1.1 client (an independent implementation) against Braid's MQTT listener: wildcards, the
 * three QoS levels both ways, retained messages, wills, persistent sessions, shared subscriptions, users-file
 * authentication and ACLs. Each test has its own broker on free ports.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PahoMqttIT {

  private static final long WAIT_SECONDS = 10;

  @TempDir
  Path directory;
  private BrokerRuntime broker;
  private final List<MqttClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (MqttClient client : clients) {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1_000, false);
      }
      client.close(true);
    }
    TestBrokers.stop(broker);
  }

  /** A message as Paho handed it to the application. */
  record Received(String topic, String payload, int qos, boolean retained) {}

  /** Every message a client receives, in order, with bounded waits. */
  static final class Inbox implements MqttCallback {
    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

    @Override
    public void connectionLost(Throwable cause) { }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      messages.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
          message.isRetained()));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) { }

    Received next() throws InterruptedException {
      Received message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(message).as("a message within " + WAIT_SECONDS + " s").isNotNull();
      return message;
    }

    List<Received> next(int count) throws InterruptedException {
      List<Received> received = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        received.add(next());
      }
      return received;
    }
  }

  private BrokerRuntime startBroker(String... settings) {
    broker = TestBrokers.start(settings);
    return broker;
  }

  private MqttConnectOptions options() {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no silent fallback to 3.1
    options.setCleanSession(true);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    options.setAutomaticReconnect(false);
    // Paho counts a PUBACK off its in-flight window on its callback thread, after the synchronous publish returned:
    // with the default window of 10, back-to-back publishes can be refused by Paho itself (32202, its own race)
    options.setMaxInflight(1_000);
    return options;
  }

  private MqttClient client(String clientId) throws MqttException {
    MqttClient client = new MqttClient("tcp://" + TestServers.HOST + ":" + broker.mqttPort(), clientId,
        new MemoryPersistence());
    client.setTimeToWait(WAIT_SECONDS * 1_000);
    clients.add(client);
    return client;
  }

  private Inbox connect(MqttClient client, MqttConnectOptions options) throws MqttException {
    Inbox inbox = new Inbox();
    client.setCallback(inbox); // before CONNECT: a resumed session's messages may follow the CONNACK at once
    client.connect(options);
    return inbox;
  }

  private MqttClient connected(String clientId) throws MqttException {
    MqttClient client = client(clientId);
    connect(client, options());
    return client;
  }

  private static void publish(MqttClient client, String topic, String payload, int qos, boolean retained)
      throws MqttException {
    client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained); // returns on PUBACK / PUBCOMP
  }

  // ------------------------------------------------------------------------------------------ topics and QoS

  @Test
  void deliversByTheSingleAndMultiLevelWildcardsAndNothingElse() throws Exception {
    startBroker();
    MqttClient subscriber = client("wildcards");
    Inbox inbox = connect(subscriber, options());
    IMqttToken granted = subscriber.subscribeWithResponse(new String[] {"home/+/temp", "office/#"}, new int[] {1, 1});
    assertThat(granted.getGrantedQos()).containsExactly(1, 1);
    MqttClient publisher = connected("wildcards-pub");

    for (String topic : List.of("home/kitchen/temp", "home/kitchen/humidity", "home/temp", "home/a/b/temp",
        "office", "office/floor/1", "officer/x", "done")) {
      publish(publisher, topic, "to " + topic, 1, false);
    }
    subscriber.subscribe("done", 1);
    publish(publisher, "done", "end", 1, false);

    List<Received> received = inbox.next(4);
    assertThat(received).extracting(Received::topic)
        .containsExactly("home/kitchen/temp", "office", "office/floor/1", "done");
    assertThat(received.get(0).payload()).isEqualTo("to home/kitchen/temp");
    assertThat(received.get(3).payload()).as("only the publish after the SUBACK of 'done'").isEqualTo("end");
  }

  @ParameterizedTest(name = "published at QoS {0}")
  @ValueSource(ints = {0, 1, 2})
  void deliversAtTheLowerOfThePublishedAndTheGrantedQos(int publishedQos) throws Exception {
    startBroker();
    List<Inbox> inboxes = new ArrayList<>();
    for (int grantedQos = 0; grantedQos <= 2; grantedQos++) {
      MqttClient subscriber = client("granted-" + grantedQos);
      inboxes.add(connect(subscriber, options()));
      IMqttToken token = subscriber.subscribeWithResponse("qos/matrix", grantedQos);
      assertThat(token.getGrantedQos()).containsExactly(grantedQos);
    }
    MqttClient publisher = connected("qos-publisher");

    publish(publisher, "qos/matrix", "at " + publishedQos, publishedQos, false);
    publish(publisher, "qos/matrix", "marker", 1, false);

    for (int grantedQos = 0; grantedQos <= 2; grantedQos++) {
      // ordered per topic and QoS only (PROTOCOL.md 8.4): a QoS 2 message may arrive after a later QoS 1 one
      List<Received> two = inboxes.get(grantedQos).next(2);
      assertThat(two).extracting(Received::payload).as("each once")
          .containsExactlyInAnyOrder("at " + publishedQos, "marker");
      Received delivered = two.stream().filter(received -> !received.payload().equals("marker")).findFirst()
          .orElseThrow();
      assertThat(delivered.qos()).as("granted %d, published %d", grantedQos, publishedQos)
          .isEqualTo(Math.min(grantedQos, publishedQos));
    }
  }

  @Test
  void deliversQos2ExactlyOnceToAPahoSubscriber() throws Exception {
    startBroker();
    MqttClient subscriber = client("exactly-once");
    Inbox inbox = connect(subscriber, options());
    subscriber.subscribe("once/+", 2);
    MqttClient publisher = connected("exactly-once-pub");

    for (int i = 0; i < 50; i++) {
      publish(publisher, "once/" + (i % 5), "m" + i, 2, false);
    }
    publish(publisher, "once/end", "end", 2, false);

    List<Received> received = inbox.next(51);
    for (int i = 0; i < 50; i++) {
      assertThat(received.get(i).payload()).isEqualTo("m" + i);
      assertThat(received.get(i).qos()).isEqualTo(2);
    }
    assertThat(received.get(50).payload()).isEqualTo("end");
    assertThat(inbox.messages).isEmpty();
  }

  // ------------------------------------------------------------------------------------------ retained

  @Test
  void sendsTheRetainedMessageOnSubscribeAndForgetsItAfterAnEmptyRetainedPublish() throws Exception {
    startBroker();
    MqttClient publisher = connected("retainer");
    publish(publisher, "status/door", "open", 1, true);

    MqttClient late = client("late");
    Inbox lateInbox = connect(late, options());
    late.subscribe("status/#", 1);
    assertThat(lateInbox.next()).isEqualTo(new Received("status/door", "open", 1, true));

    publish(publisher, "status/door", "closed", 1, true);
    assertThat(lateInbox.next()).as("to a subscriber already there the retain flag is 0 [MQTT-3.3.1-9]")
        .isEqualTo(new Received("status/door", "closed", 1, false));

    publish(publisher, "status/door", "", 1, true); // clears it [MQTT-3.3.1-10]
    assertThat(lateInbox.next().payload()).isEmpty();

    MqttClient later = client("later");
    Inbox laterInbox = connect(later, options());
    later.subscribe("status/#", 1);
    publish(publisher, "status/marker", "after the subscribe", 1, false);
    assertThat(laterInbox.next()).as("no retained message is left")
        .isEqualTo(new Received("status/marker", "after the subscribe", 1, false));
  }

  // ------------------------------------------------------------------------------------------ wills

  @Test
  void publishesTheWillWhenTheConnectionDropsWithoutDisconnect() throws Exception {
    startBroker();
    MqttClient watcher = client("watcher");
    Inbox inbox = connect(watcher, options());
    watcher.subscribe("wills/#", 2);

    TappedSocketFactory sockets = new TappedSocketFactory();
    MqttConnectOptions withWill = options();
    withWill.setSocketFactory(sockets);
    withWill.setWill("wills/device-1", "device-1 gone".getBytes(StandardCharsets.UTF_8), 1, false);
    MqttClient device = client("device-1");
    connect(device, withWill);

    sockets.cut();

    assertThat(inbox.next()).isEqualTo(new Received("wills/device-1", "device-1 gone", 1, false));
  }

  @Test
  void discardsTheWillOnANormalDisconnect() throws Exception {
    startBroker();
    MqttClient watcher = client("watcher");
    Inbox inbox = connect(watcher, options());
    watcher.subscribe("wills/#", 1);
    MqttConnectOptions withWill = options();
    withWill.setWill("wills/polite", "should not be sent".getBytes(StandardCharsets.UTF_8), 1, false);
    MqttClient polite = client("polite");
    connect(polite, withWill);
    await().until(() -> TestBrokers.metric(broker, "braid_connections") == 2);

    polite.disconnect();
    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> TestBrokers.metric(broker, "braid_connections") == 1);
    publish(watcher, "wills/marker", "marker", 1, false);

    assertThat(inbox.next().topic()).as("the will was discarded [MQTT-3.1.2-10]").isEqualTo("wills/marker");
  }

  // ------------------------------------------------------------------------------------------ sessions

  @Test
  void resumesAPersistentSessionWithTheQos1And2MessagesPublishedWhileAway() throws Exception {
    startBroker();
    MqttConnectOptions persistent = options();
    persistent.setCleanSession(false);
    MqttClient first = client("keeper");
    first.setCallback(new Inbox());
    IMqttToken firstConnack = first.connectWithResult(persistent);
    assertThat(firstConnack.getSessionPresent()).isFalse();
    first.subscribe("jobs/#", 2);
    first.disconnect();

    MqttClient publisher = connected("dispatcher");
    publish(publisher, "jobs/1", "job one", 1, false);
    publish(publisher, "jobs/2", "job two", 2, false);
    publish(publisher, "jobs/3", "job three", 2, false);

    MqttClient again = client("keeper");
    Inbox inbox = new Inbox();
    again.setCallback(inbox);
    IMqttToken connack = again.connectWithResult(persistent);

    assertThat(connack.getSessionPresent()).isTrue();
    assertThat(inbox.next(3)).containsExactly(new Received("jobs/1", "job one", 1, false),
        new Received("jobs/2", "job two", 2, false), new Received("jobs/3", "job three", 2, false));
    publish(publisher, "jobs/4", "live again", 1, false);
    assertThat(inbox.next()).as("the kept subscription goes on without a new SUBSCRIBE")
        .isEqualTo(new Received("jobs/4", "live again", 1, false));
  }

  @Test
  void aCleanSessionStartsWithoutTheOldSubscriptions() throws Exception {
    startBroker();
    MqttConnectOptions persistent = options();
    persistent.setCleanSession(false);
    MqttClient first = client("forgetful");
    connect(first, persistent);
    first.subscribe("old/#", 1);
    first.disconnect();

    MqttClient again = client("forgetful");
    Inbox inbox = new Inbox();
    again.setCallback(inbox);
    IMqttToken connack = again.connectWithResult(options());
    assertThat(connack.getSessionPresent()).isFalse();
    again.subscribe("new/#", 1);
    MqttClient publisher = connected("old-new-pub");
    publish(publisher, "old/x", "to the old subscription", 1, false);
    publish(publisher, "new/x", "to the new one", 1, false);

    assertThat(inbox.next().topic()).isEqualTo("new/x");
  }

  // ------------------------------------------------------------------------------------------ shared subscriptions

  @Test
  void aSharedSubscriptionGivesEachMessageToExactlyOneMember() throws Exception {
    startBroker();
    List<Inbox> members = new ArrayList<>();
    for (String id : List.of("worker-a", "worker-b")) {
      MqttClient worker = client(id);
      members.add(connect(worker, options()));
      assertThat(worker.subscribeWithResponse("$share/workers/tasks/#", 1).getGrantedQos()).containsExactly(1);
    }
    MqttClient publisher = connected("task-source");

    int count = 40;
    for (int i = 0; i < count; i++) {
      publish(publisher, "tasks/" + i, "task " + i, 1, false);
    }

    await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
        .until(() -> members.get(0).messages.size() + members.get(1).messages.size() >= count);
    List<String> all = new ArrayList<>();
    for (Inbox member : members) {
      List<String> got = member.messages.stream().map(Received::payload).toList();
      assertThat(got).as("round robin reaches every member").isNotEmpty();
      all.addAll(got);
    }
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < count; i++) {
      expected.add("task " + i);
    }
    assertThat(all).hasSize(count).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
  }

  // ------------------------------------------------------------------------------------------ auth and ACL

  private void startSecuredBroker() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "alice:" + PasswordHash.create("wonderland", 1_000).encoded() + "\n");
    startBroker("auth.anonymous", "false", "auth.usersFile", users.toString());
  }

  @Test
  void acceptsAUserOfTheUsersFileWithTheRightPassword() throws Exception {
    startSecuredBroker();
    MqttConnectOptions alice = options();
    alice.setUserName("alice");
    alice.setPassword("wonderland".toCharArray());
    MqttClient client = client("alice-device");
    Inbox inbox = connect(client, alice);
    client.subscribe("alice/+", 1);
    publish(client, "alice/notes", "authenticated", 1, false);

    assertThat(inbox.next()).isEqualTo(new Received("alice/notes", "authenticated", 1, false));
  }

  @Test
  void refusesABadPasswordWithReturnCode4() throws Exception {
    startSecuredBroker();
    MqttConnectOptions wrong = options();
    wrong.setUserName("alice");
    wrong.setPassword("looking-glass".toCharArray());
    MqttClient client = client("intruder");

    assertThatThrownBy(() -> client.connect(wrong)).isInstanceOfSatisfying(MqttException.class,
        e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void refusesAnAnonymousClientWhenAnonymousAccessIsOff() throws Exception {
    startSecuredBroker();
    MqttClient client = client("nobody");

    assertThatThrownBy(() -> client.connect(options())).isInstanceOfSatisfying(MqttException.class,
        e -> assertThat(e.getReasonCode()).isIn((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION,
            (int) MqttException.REASON_CODE_NOT_AUTHORIZED));
  }

  @Test
  void theAclRefusesASubscribeWith0x80AndDropsAPublishItDoesNotGrant() throws Exception {
    Path acl = directory.resolve("acl");
    Files.writeString(acl, String.join("\n", "topic read public/#", "topic write public/anyone/#", ""));
    startBroker("acl.file", acl.toString());
    MqttClient client = client("guest");
    Inbox inbox = connect(client, options());

    IMqttToken refused = client.subscribeWithResponse(new String[] {"private/#", "public/#"}, new int[] {1, 1});
    assertThat(refused.getGrantedQos()).containsExactly(0x80, 1);
    publish(client, "public/news", "not allowed to write here", 1, false); // acknowledged, dropped (§3.3.5)
    publish(client, "public/anyone/hello", "allowed", 1, false);

    assertThat(inbox.next()).isEqualTo(new Received("public/anyone/hello", "allowed", 1, false));
    assertThat(TestBrokers.metric(broker, "braid_acl_denied_total{action=\"subscribe\"}")).isEqualTo(1);
    assertThat(TestBrokers.metric(broker, "braid_acl_denied_total{action=\"publish\"}")).isEqualTo(1);
  }
}
