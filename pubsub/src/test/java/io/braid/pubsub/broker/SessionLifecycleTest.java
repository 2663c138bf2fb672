package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.Will;
import org.junit.jupiter.api.Test;

/** Clean start, resume, expiry, takeover and offline queues (MQTT 5.0 §3.1.2.4, §3.1.2.11, §3.1.4, §4.1). */
class SessionLifecycleTest {

  private final BrokerFixture fixture = new BrokerFixture();

  @Test
  void aNewSessionIsNotPresent() {
    assertThat(fixture.connectPersistent("c").connect().sessionPresent()).isFalse();
  }

  @Test
  void resumingAPersistentSessionReportsItPresentWithItsSubscriptions() {
    Client first = fixture.connectPersistent("c");
    first.subscribe("a/+", 1);
    first.session().disconnect(false, -1);

    Client second = fixture.connectPersistent("c");

    assertThat(second.connect().sessionPresent()).isTrue();
    assertThat(second.session().subscriptions()).extracting(s -> s.filter().asString()).containsExactly("a/+");
  }

  @Test
  void cleanStartDiscardsTheExistingSession() {
    Client first = fixture.connectPersistent("c");
    first.subscribe("a", 1);
    first.session().disconnect(false, -1);

    Client second = fixture.connect(ConnectRequest.persistent("c", 3600).withCleanStart(true));

    assertThat(second.connect().sessionPresent()).isFalse();
    assertThat(second.session().subscriptions()).isEmpty();
  }

  @Test
  void aSessionWithZeroExpiryEndsWithItsConnection() {
    Client client = fixture.connectClean("c");
    client.subscribe("a", 1);

    client.session().disconnect(false, -1);

    assertThat(fixture.broker.hasSession("c")).isFalse();
    assertThat(fixture.connectClean("publisher").publish("a", "m", 1))
        .isEqualTo(AckReason.NO_MATCHING_SUBSCRIBERS);
  }

  @Test
  void aDisconnectedSessionExpiresAfterItsExpiryInterval() {
    Client client = fixture.connect(ConnectRequest.persistent("c", 60));
    client.session().connectionLost();

    fixture.time.advanceSeconds(59);
    assertThat(fixture.broker.hasSession("c")).isTrue();
    fixture.time.advanceSeconds(1);
    assertThat(fixture.broker.hasSession("c")).isFalse();
  }

  @Test
  void disconnectCanChangeTheSessionExpiry() {
    Client client = fixture.connect(ConnectRequest.persistent("c", 60));

    client.session().disconnect(false, 0);

    assertThat(fixture.broker.hasSession("c")).isFalse();
  }

  @Test
  void reconnectingBeforeExpiryKeepsTheSession() {
    Client client = fixture.connect(ConnectRequest.persistent("c", 60));
    client.session().connectionLost();
    fixture.time.advanceSeconds(30);

    fixture.connect(ConnectRequest.persistent("c", 60));
    fixture.time.advanceSeconds(60);

    assertThat(fixture.broker.hasSession("c")).isTrue();
  }

  @Test
  void grantsAtMostTheConfiguredMaximumSessionExpiry() {
    BrokerFixture capped = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxSessionExpiryInterval(100));

    Client client = capped.connect(ConnectRequest.persistent("c", Session.NEVER_EXPIRES));

    assertThat(client.connect().sessionExpiryInterval()).isEqualTo(100);
  }

  @Test
  void aSecondConnectionTakesTheSessionOverAndTheFirstIsToldWhy() {
    Client first = fixture.connectPersistent("c");
    first.subscribe("t", 1);

    Client second = fixture.connectPersistent("c");

    assertThat(first.link().closes).containsExactly(DisconnectCause.SESSION_TAKEN_OVER);
    assertThat(first.session().isAttached()).isFalse();
    assertThat(second.connect().sessionPresent()).isTrue();
    fixture.connectClean("p").publish("t", "m", 1);
    second.assertReceived("m");
    assertThat(first.link().publishes).isEmpty();
  }

  @Test
  void theTakenOverConnectionCannotDetachTheNewOne() {
    Client first = fixture.connectPersistent("c");
    Client second = fixture.connectPersistent("c");

    first.session().connectionLost();

    assertThat(fixture.broker.isConnected("c")).isTrue();
    assertThat(second.session().isAttached()).isTrue();
  }

  @Test
  void queuesQos1And2ForADisconnectedPersistentSessionButNotQos0() {
    Client subscriber = fixture.connectPersistent("s");
    subscriber.subscribe("t", 2);
    subscriber.session().connectionLost();
    Client publisher = fixture.connectClean("p");

    publisher.publish("t", "zero", 0);
    publisher.publish("t", "one", 1);
    publisher.publish("t", "two", 2);

    fixture.connectPersistent("s").assertReceived("one", "two");
    assertThat(fixture.broker.stats().dropped(DropReason.QOS0_OFFLINE)).isEqualTo(1);
  }

  @Test
  void queuesQos0ForADisconnectedSessionWhenConfigured() {
    BrokerFixture queueing = new BrokerFixture(BrokerOptions.DEFAULTS.withQueueQos0WhenOffline(true));
    Client subscriber = queueing.connectPersistent("s");
    subscriber.subscribe("t", 0);
    subscriber.session().connectionLost();

    queueing.connectClean("p").publish("t", "zero", 0);

    queueing.connectPersistent("s").assertReceived("zero");
  }

  @Test
  void dropsTheNewestWhenTheQueueIsFullByDefault() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxQueuedMessages(2));
    Client subscriber = small.connectPersistent("s");
    subscriber.subscribe("t", 1);
    subscriber.session().connectionLost();
    Client publisher = small.connectClean("p");

    publisher.publish("t", "1", 1);
    publisher.publish("t", "2", 1);
    publisher.publish("t", "3", 1);

    small.connectPersistent("s").assertReceived("1", "2");
    assertThat(small.broker.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
  }

  @Test
  void dropsTheOldestWhenSoConfigured() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxQueuedMessages(2)
        .withOverflowPolicy(QueueOverflowPolicy.DROP_OLDEST));
    Client subscriber = small.connectPersistent("s");
    subscriber.subscribe("t", 1);
    subscriber.session().connectionLost();
    Client publisher = small.connectClean("p");

    publisher.publish("t", "1", 1);
    publisher.publish("t", "2", 1);
    publisher.publish("t", "3", 1);

    small.connectPersistent("s").assertReceived("2", "3");
    assertThat(small.broker.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
  }

  @Test
  void aConnectedSubscriberThatGrantsNoCreditHoldsAtMostItsWindowPlusTheQueueLimit() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxQueuedMessages(3));
    Client subscriber = small.connect(ConnectRequest.persistent("s", 60).withReceiveMaximum(2));
    subscriber.subscribe("t", 1);
    Client publisher = small.connectClean("p");

    for (int i = 0; i < 10; i++) {
      publisher.publish("t", "m" + i, 1);
    }

    assertThat(subscriber.link().publishes).hasSize(2);
    assertThat(small.broker.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(5);
  }

  @Test
  void closesAConnectedSubscriberWhoseQueueOverflowsWhenSoConfigured() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxQueuedMessages(2)
        .withOverflowPolicy(QueueOverflowPolicy.DISCONNECT));
    Client subscriber = small.connect(ConnectRequest.persistent("s", 60).withReceiveMaximum(1));
    subscriber.subscribe("t", 1);
    Client publisher = small.connectClean("p");

    for (int i = 0; i < 5; i++) {
      publisher.publish("t", "m" + i, 1);
    }

    assertThat(subscriber.link().closes).containsExactly(DisconnectCause.QUOTA_EXCEEDED);
    assertThat(small.broker.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(2);
  }

  @Test
  void aDisconnectedSessionUnderTheDisconnectPolicyDropsTheNewest() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxQueuedMessages(1)
        .withOverflowPolicy(QueueOverflowPolicy.DISCONNECT));
    Client subscriber = small.connectPersistent("s");
    subscriber.subscribe("t", 1);
    subscriber.session().connectionLost();
    Client publisher = small.connectClean("p");

    publisher.publish("t", "kept", 1);
    publisher.publish("t", "dropped", 1);

    small.connectPersistent("s").assertReceived("kept");
  }

  @Test
  void anAdministrativeDisconnectClosesTheConnectionAndKeepsAPersistentSession() {
    Client client = fixture.connectPersistent("c");
    client.subscribe("t", 1);

    assertThat(fixture.broker.disconnect("c")).isTrue();

    assertThat(client.link().closes).containsExactly(DisconnectCause.ADMINISTRATIVE_ACTION);
    assertThat(client.session().isAttached()).isFalse();
    assertThat(fixture.broker.isConnected("c")).isFalse();
    fixture.connectClean("p").publish("t", "while away", 1);
    fixture.connectPersistent("c").assertReceived("while away");
    assertThat(fixture.broker.disconnect("nobody")).isFalse();
  }

  @Test
  void describesItsSessionsForOperators() {
    Client subscriber = fixture.connectPersistent("b-sub");
    subscriber.subscribe("t", 1);
    subscriber.subscribe("u/#", 0);
    subscriber.session().connectionLost();
    fixture.connectClean("a-pub").publish("t", "waiting", 1);

    assertThat(fixture.broker.sessions()).containsExactly(
        new SessionInfo("a-pub", true, false, 0, 0),
        new SessionInfo("b-sub", false, true, 1, 2));
    assertThat(fixture.broker.subscriptionCount()).isEqualTo(2);
    assertThat(fixture.broker.queuedMessageCount()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- wills

  private ConnectRequest withWill(String clientId, long willDelay, long sessionExpiry) {
    ApplicationMessage message = ApplicationMessage.of(clientId, "wills/" + clientId, BrokerFixture.bytes("gone"),
        1, false);
    return new ConnectRequest(clientId, false, sessionExpiry, 65_535, new Will(message, willDelay));
  }

  private Client willWatcher() {
    Client watcher = fixture.connectClean("watcher");
    watcher.subscribe("wills/#", 1);
    return watcher;
  }

  @Test
  void publishesTheWillWhenTheConnectionIsLost() {
    Client watcher = willWatcher();
    Client client = fixture.connect(withWill("c", 0, 60));

    client.session().connectionLost();

    watcher.assertReceived("gone");
  }

  @Test
  void discardsTheWillOnANormalDisconnect() {
    Client watcher = willWatcher();
    Client client = fixture.connect(withWill("c", 0, 60));

    client.session().disconnect(false, -1);
    fixture.time.advanceSeconds(120);

    assertThat(watcher.link().publishes).isEmpty();
  }

  @Test
  void publishesTheWillOnDisconnectWithWillMessage() {
    Client watcher = willWatcher();
    Client client = fixture.connect(withWill("c", 0, 60));

    client.session().disconnect(true, -1);

    watcher.assertReceived("gone");
  }

  @Test
  void delaysTheWillByItsDelayInterval() {
    Client watcher = willWatcher();
    Client client = fixture.connect(withWill("c", 30, 600));
    client.session().connectionLost();

    fixture.time.advanceSeconds(29);
    assertThat(watcher.link().publishes).isEmpty();
    fixture.time.advanceSeconds(1);
    watcher.assertReceived("gone");
  }

  @Test
  void reconnectingWithinTheWillDelayCancelsTheWill() {
    Client watcher = willWatcher();
    Client client = fixture.connect(withWill("c", 30, 600));
    client.session().connectionLost();
    fixture.time.advanceSeconds(10);

    fixture.connectPersistent("c");
    fixture.time.advanceSeconds(60);

    assertThat(watcher.link().publishes).isEmpty();
  }

  @Test
  void publishesADelayedWillWhenTheSessionEndsFirst() {
    Client watcher = willWatcher();
    Client client = fixture.connect(withWill("c", 300, 60));
    client.session().connectionLost();

    fixture.time.advanceSeconds(60);

    watcher.assertReceived("gone");
    assertThat(fixture.broker.hasSession("c")).isFalse();
  }

  @Test
  void takeoverPublishesAnUndelayedWillOfTheOldConnection() {
    Client watcher = willWatcher();
    fixture.connect(withWill("c", 0, 60));

    fixture.connectPersistent("c");

    watcher.assertReceived("gone");
  }

  @Test
  void takeoverCancelsADelayedWill() {
    Client watcher = willWatcher();
    fixture.connect(withWill("c", 5, 60));

    fixture.connectPersistent("c");
    fixture.time.advanceSeconds(10);

    assertThat(watcher.link().publishes).isEmpty();
  }
}
