package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.ControlledStore;
import io.braid.pubsub.store.StoreException;
import io.braid.pubsub.history.HistoryRule;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A QoS 1 message queued for persistent sessions is acknowledged to its publisher once it is durable, or once every
 * persistent subscriber acknowledged its copy, whichever comes first: a message its subscribers have can no longer be
 * lost. The store's syncs complete here only when a test says so.
 */
class AcknowledgedCopiesTest {

  private final ControlledStore store = new ControlledStore();
  private final BrokerFixture durable = new BrokerFixture(BrokerOptions.DEFAULTS, store);
  private final Client publisher = durable.connectClean("pub");

  @Test
  void aQos1PublishIsAcknowledgedOnceItsPersistentSubscriberAcknowledgedItBeforeTheCommit() {
    Client subscriber = durable.connectPersistent("sub");
    subscriber.subscribe("t", 1);

    CompletableFuture<AckReason> ack = publish("t", 1, false);
    assertThat(ack).as("stored and not yet acknowledged by the subscriber").isNotDone();
    subscriber.acknowledgeAll();

    assertThat(ack).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void aQos1PublishWaitsForTheCommitWhileAnyStoredCopyIsUnacknowledged() {
    Client first = durable.connectPersistent("first");
    first.subscribe("t", 1);
    Client second = durable.connectPersistent("second");
    second.subscribe("t/#", 1);

    CompletableFuture<AckReason> ack = publish("t", 1, false);
    first.acknowledgeAll();
    assertThat(ack).as("second's copy is only in memory and in an uncommitted change").isNotDone();
    second.acknowledgeAll();

    assertThat(ack).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void aCopyAcknowledgedWhileTheMessageIsStillRoutedDoesNotAnswerForTheCopiesAfterIt() {
    Client quick = durable.connectPersistent("quick");
    quick.subscribe("t", 1);
    quick.link().onPublish = sent -> quick.session().pubAck(sent.packetId()); // during the routing: executors run inline
    Client later = durable.connectPersistent("later");
    later.subscribe("t", 1);

    CompletableFuture<AckReason> ack = publish("t", 1, false);
    assertThat(quick.link().publishes).hasSize(1);
    assertThat(ack).isNotDone();
    later.acknowledgeAll();

    assertThat(ack).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void aQos1PublishToATopicWithHistoryWaitsForTheCommit() {
    ControlledStore historyStore = new ControlledStore();
    BrokerFixture withHistory = new BrokerFixture(BrokerOptions.DEFAULTS, historyStore, UnaryOperator.identity(),
        List.of(new HistoryRule(TopicFilter.parse("t"), 10, 0)));
    Client subscriber = withHistory.connectPersistent("sub");
    subscriber.subscribe("t", 1);

    CompletableFuture<AckReason> ack = withHistory.connectClean("pub").session().publish(message("t", 1, false), 3);
    subscriber.acknowledgeAll();
    assertThat(ack).as("the history keeps it: it must survive a crash too").isNotDone();
    historyStore.completeSyncs();

    assertThat(ack).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void aCopyQueuedForADisconnectedSessionWaitsForTheCommit() {
    Client online = durable.connectPersistent("online");
    online.subscribe("t", 1);
    Client offline = durable.connectPersistent("offline");
    offline.subscribe("t", 1);
    offline.session().disconnect(false, -1);

    assertDecidedByTheCommit(publish("t", 1, false), online);
  }

  @Test
  void aRetainedQos1PublishWaitsForTheCommitEvenOnceItsCopiesWereAcknowledged() {
    Client subscriber = durable.connectPersistent("sub");
    subscriber.subscribe("t", 1);

    assertDecidedByTheCommit(publish("t", 1, true), subscriber); // the retained message must survive a crash too
  }

  @Test
  void aQos2PublishOfACleanSessionWaitsForTheCommitOfItsStoredCopies() {
    Client subscriber = durable.connectPersistent("sub");
    subscriber.subscribe("t", 2);

    assertDecidedByTheCommit(publish("t", 2, false), subscriber); // a PUBREC ends nothing: it is still in flight
  }

  @Test
  void aQos1PublishIsRefusedWhenTheStoreFailsBeforeItsCopiesAreAcknowledged() {
    Client subscriber = durable.connectPersistent("sub");
    subscriber.subscribe("t", 1);

    CompletableFuture<AckReason> ack = publish("t", 1, false);
    store.failSyncs(new StoreException("No space left on device"));
    subscriber.acknowledgeAll();

    assertThat(ack).isCompletedWithValue(AckReason.UNSPECIFIED_ERROR);
  }

  @Test
  void aStoreFailureAfterTheSubscribersAcknowledgedLeavesThePublishAcknowledged() {
    Client subscriber = durable.connectPersistent("sub");
    subscriber.subscribe("t", 1);

    CompletableFuture<AckReason> ack = publish("t", 1, false);
    subscriber.acknowledgeAll();
    store.failSyncs(new StoreException("No space left on device"));

    assertThat(ack).as("its only subscriber has it").isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void aMessageFromAnotherNodeIsConfirmedOnceItsLocalPersistentSubscriberAcknowledgedIt() {
    Client subscriber = durable.connectPersistent("sub");
    subscriber.subscribe("t", 1);

    CompletableFuture<Integer> confirmed = durable.broker.deliverFromPeer(message("t", 1, false), group -> true);
    assertThat(confirmed).isNotDone();
    subscriber.acknowledgeAll();

    assertThat(confirmed).isCompletedWithValue(1);
  }

  /** Once {@code subscribers} acknowledged what they were sent, {@code ack} still waits, and the commit decides it. */
  private void assertDecidedByTheCommit(CompletableFuture<AckReason> ack, Client... subscribers) {
    for (Client subscriber : subscribers) {
      subscriber.acknowledgeAll();
    }
    assertThat(ack).isNotDone();
    store.completeSyncs();

    assertThat(ack).isCompletedWithValue(AckReason.SUCCESS);
  }

  private CompletableFuture<AckReason> publish(String topic, int qos, boolean retain) {
    return publisher.session().publish(message(topic, qos, retain), 9);
  }

  private static ApplicationMessage message(String topic, int qos, boolean retain) {
    return ApplicationMessage.of("pub", topic, BrokerFixture.bytes("m"), qos, retain);
  }
}
