package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.Will;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broker rebuilt on the store of a previous one (a restart) has every persistent session, subscription, queued
 * and in-flight message, and inbound QoS 2 packet identifier; run on each store ({@link InMemoryRecoveryTest},
 * {@link DurableRecoveryTest}). The durable store also has kill -9 tests in a child JVM.
 */
abstract class RecoveryTest {

  BrokerFixture fixture;

  /** A fixture whose {@link BrokerFixture#restart()} rebuilds the broker on the same stored state. */
  abstract BrokerFixture newFixture();

  @BeforeEach
  void startBroker() {
    fixture = newFixture();
  }

  @AfterEach
  void stopBroker() {
    fixture.broker.close();
  }

  @Test
  void restoresPersistentSessionsWithTheirSubscriptions() {
    fixture.connectPersistent("s").subscribe("a/+", 1);

    fixture.restart();

    Client again = fixture.connectPersistent("s");
    assertThat(again.connect().sessionPresent()).isTrue();
    fixture.connectClean("p").publish("a/b", "after", 1);
    again.assertReceived("after");
  }

  @Test
  void forgetsSessionsThatEndedWithTheirConnection() {
    fixture.connectClean("c").subscribe("a", 1);

    fixture.restart();

    assertThat(fixture.broker.hasSession("c")).isFalse();
  }

  @Test
  void deliversMessagesQueuedBeforeTheRestartInOrder() {
    Client subscriber = fixture.connectPersistent("s");
    subscriber.subscribe("t", 2);
    subscriber.session().connectionLost();
    Client publisher = fixture.connectClean("p");
    publisher.publish("t", "1", 1);
    publisher.publish("t", "2", 2);
    publisher.publish("t", "3", 1);

    fixture.restart();

    fixture.connectPersistent("s").assertReceived("1", "2", "3");
  }

  @Test
  void redeliversInFlightMessagesWithDupAndTheSamePacketIds() {
    Client subscriber = fixture.connectPersistent("s");
    subscriber.subscribe("t", 1);
    fixture.connectClean("p").publish("t", "m", 1);
    int packetId = subscriber.link().last().packetId();

    fixture.restart();

    Client again = fixture.connectPersistent("s");
    assertThat(again.link().last().dup()).isTrue();
    assertThat(again.link().last().packetId()).isEqualTo(packetId);
  }

  @Test
  void messagesNeverSentBeforeTheRestartArriveWithoutDup() {
    Client subscriber = fixture.connectPersistent("s");
    subscriber.subscribe("t", 2);
    subscriber.session().connectionLost();
    Client publisher = fixture.connectClean("p");
    publisher.publish("t", "1", 1);
    publisher.publish("t", "2", 2);

    fixture.restart();

    Client again = fixture.connectPersistent("s");
    again.assertReceived("1", "2");
    assertThat(again.link().publishes).extracting(OutboundPublish::dup).containsExactly(false, false);
  }

  @Test
  void onlyTheSentMessagesCarryDupAfterTheRestart() {
    Client subscriber = fixture.connectPersistent("s");
    subscriber.subscribe("t", 1);
    Client publisher = fixture.connectClean("p");
    publisher.publish("t", "1", 1); // sent, never acknowledged
    subscriber.link().writable = false;
    publisher.publish("t", "2", 1); // queued, never sent

    fixture.restart();

    Client again = fixture.connectPersistent("s");
    again.assertReceived("1", "2");
    assertThat(again.link().publishes).extracting(OutboundPublish::dup).containsExactly(true, false);
  }

  @Test
  void resendsPubRelForReleasedQos2MessagesAfterTheRestart() {
    Client subscriber = fixture.connectPersistent("s");
    subscriber.subscribe("t", 2);
    fixture.connectClean("p").publish("t", "m", 2);
    int packetId = subscriber.link().last().packetId();
    subscriber.session().pubRec(packetId, false);

    fixture.restart();

    Client again = fixture.connectPersistent("s");
    assertThat(again.link().publishes).isEmpty();
    assertThat(again.link().pubRels).containsExactly(packetId);
  }

  @Test
  void acknowledgedMessagesAreNotRedelivered() {
    Client subscriber = fixture.connectPersistent("s");
    subscriber.subscribe("t", 1);
    fixture.connectClean("p").publish("t", "m", 1);
    subscriber.session().pubAck(subscriber.link().last().packetId());

    fixture.restart();

    assertThat(fixture.connectPersistent("s").link().publishes).isEmpty();
  }

  @Test
  void keepsSuppressingAQos2DuplicateWhosePubRelHasNotArrived() {
    Client watcher = fixture.connectPersistent("w");
    watcher.subscribe("t", 2);
    Client publisher = fixture.connectPersistent("p");
    ApplicationMessage message = ApplicationMessage.of("p", "t", BrokerFixture.bytes("once"), 2, false);
    publisher.publish(message, 9);
    watcher.session().connectionLost();

    fixture.restart();

    Client again = fixture.connectPersistent("p");
    assertThat(again.publish(message, 9)).isEqualTo(AckReason.SUCCESS);
    assertThat(again.session().release(9).join()).isEqualTo(AckReason.SUCCESS);
    fixture.connectPersistent("w").assertReceived("once");
  }

  @Test
  void continuesMessageIdsAboveTheRecoveredOnes() {
    Client subscriber = fixture.connectPersistent("s");
    subscriber.subscribe("t", 1);
    subscriber.session().connectionLost();
    fixture.connectClean("p").publish("t", "before", 1);

    fixture.restart();
    fixture.connectClean("p").publish("t", "after", 1);

    Client again = fixture.connectPersistent("s");
    assertThat(again.link().publishes.get(1).message().id())
        .isGreaterThan(again.link().publishes.get(0).message().id());
  }

  @Test
  void theWillOfAClientConnectedAtTheCrashIsPublishedAfterItsDelay() {
    Client watcher = fixture.connectPersistent("watcher");
    watcher.subscribe("wills/#", 1);
    ApplicationMessage will = ApplicationMessage.of("c", "wills/c", BrokerFixture.bytes("gone"), 1, false);
    fixture.connect(new ConnectRequest("c", false, 600, 65_535, new Will(will, 10)));

    fixture.restart();
    fixture.time.advanceSeconds(10);

    fixture.connectPersistent("watcher").assertReceived("gone");
  }
}
