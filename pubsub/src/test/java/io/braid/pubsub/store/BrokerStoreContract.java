package io.braid.pubsub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.HistoryPosition;
import io.braid.pubsub.message.MessageProperty;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.subscription.Subscription;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BrokerStore} must do, checked through a reopen: what was written and synced before
 * {@link #reopen()} is what {@link BrokerStore#load()} returns after it.
 */
abstract class BrokerStoreContract {

  /** The subscription most entries travel for. */
  static final TopicFilter T = TopicFilter.parse("t");

  BrokerStore store;

  /** A new, empty store. */
  abstract BrokerStore open();

  /** Closes {@link #store} and opens it again on the same data. */
  abstract BrokerStore reopen(BrokerStore closing);

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void anEmptyStoreLoadsNothing() {
    StoreSnapshot snapshot = store.load();

    assertThat(snapshot.sessions()).isEmpty();
    assertThat(snapshot.retained()).isEmpty();
    assertThat(snapshot.queues()).isEmpty();
    assertThat(snapshot.inboundPacketIds()).isEmpty();
    assertThat(snapshot.maxMessageId()).isZero();
  }

  @Test
  void keepsSessionsWithTheirWillAndSubscriptions() {
    Will will = new Will(message(9, "c", "last/words", "bye", 1), 30);
    Subscription plain = new Subscription("c", TopicFilter.parse("a/+/c"), SubscriptionOptions.ofMaxQos(2)
        .withNoLocal(true).withRetainAsPublished(true).withRetainHandling(2).withSubscriptionIdentifier(268_435_455));
    Subscription shared = new Subscription("c", TopicFilter.parse("$share/g/x/#"), SubscriptionOptions.ofMaxQos(1));
    StoredSession session = new StoredSession("c", 0xFFFF_FFFFL, 1234, will, List.of(plain, shared));
    store.saveSession(session);
    store.saveSession(new StoredSession("d", 60, StoredSession.CONNECTED, null, List.of()));

    StoreSnapshot snapshot = reopenAndLoad();

    assertThat(snapshot.sessions()).containsExactlyInAnyOrder(session,
        new StoredSession("d", 60, StoredSession.CONNECTED, null, List.of()));
  }

  @Test
  void keepsAHistoryWithItsRecordAndMessagesInOffsetOrder() {
    TopicName topic = TopicName.parse("chat/rooms/é");
    store.saveHistoryMeta(topic, "e1", 65_537, 0, false);
    for (long offset = 1; offset <= 3; offset++) {
      store.appendHistory(message(offset, "p", topic.asString(), "m" + offset, 1).at(new HistoryPosition("e1",
          offset)));
    }

    StoreSnapshot snapshot = reopenAndLoad();

    assertThat(snapshot.histories()).singleElement().satisfies(history -> {
      assertThat(history.topic()).isEqualTo(topic);
      assertThat(history.epoch()).isEqualTo("e1");
      assertThat(history.reservedUpTo()).isEqualTo(65_537);
      assertThat(history.clean()).isFalse();
      assertThat(history.messages()).extracting(m -> m.position().offset()).containsExactly(1L, 2L, 3L);
      assertThat(history.messages().get(1).position()).isEqualTo(new HistoryPosition("e1", 2));
    });
    assertThat(snapshot.maxMessageId()).isEqualTo(3);
  }

  @Test
  void trimmingAHistoryRemovesItsOldestMessagesOnly() {
    TopicName topic = TopicName.parse("h");
    TopicName other = TopicName.parse("h2");
    store.saveHistoryMeta(topic, "e", 10, 2, true);
    store.saveHistoryMeta(other, "f", 10, 0, true);
    for (long offset = 1; offset <= 4; offset++) {
      store.appendHistory(message(offset, "p", "h", "m", 0).at(new HistoryPosition("e", offset)));
      store.appendHistory(message(10 + offset, "p", "h2", "m", 0).at(new HistoryPosition("f", offset)));
    }

    store.trimHistory(topic, 3);

    Map<TopicName, StoredHistory> histories = new java.util.HashMap<>();
    reopenAndLoad().histories().forEach(history -> histories.put(history.topic(), history));
    assertThat(histories.get(topic).messages()).extracting(m -> m.position().offset()).containsExactly(3L, 4L);
    assertThat(histories.get(topic).trimmedUpTo()).isEqualTo(2);
    assertThat(histories.get(topic).clean()).isTrue();
    assertThat(histories.get(other).messages()).hasSize(4);
  }

  @Test
  void aDeletedHistoryIsGone() {
    TopicName topic = TopicName.parse("h");
    store.saveHistoryMeta(topic, "e", 10, 0, false);
    store.appendHistory(message(1, "p", "h", "m", 0).at(new HistoryPosition("e", 1)));

    store.deleteHistory(topic);

    assertThat(reopenAndLoad().histories()).isEmpty();
  }

  @Test
  void loadsOneSessionWithItsQueueAndPacketIdsAndNoOther() {
    store.saveSession(new StoredSession("c", 60, 1, null, List.of()));
    store.saveSession(new StoredSession("c2", 60, 1, null, List.of()));
    ApplicationMessage shared = message(5, "p", "t", "both", 1);
    store.enqueue("c", queued(2, shared));
    store.enqueue("c", queued(1, message(4, "p", "t", "first", 1)));
    store.enqueue("c2", queued(1, shared));
    store.addInboundPacketId("c", 7);
    store.addInboundPacketId("c2", 8);

    SessionState state = store.loadSession("c");

    assertThat(state.session().clientId()).isEqualTo("c");
    assertThat(state.queue()).extracting(QueuedMessage::sequence).containsExactly(1L, 2L);
    assertThat(state.queue().get(1).message().payload()).isEqualTo(shared.payload());
    assertThat(state.inboundPacketIds()).containsExactly(7);
    assertThat(store.loadSession("nobody")).isNull();
  }

  @Test
  void aSavedSessionReplacesTheOneBefore() {
    store.saveSession(new StoredSession("c", 60, 1, null, List.of()));
    store.saveSession(new StoredSession("c", 120, 2, null, List.of()));

    assertThat(reopenAndLoad().sessions()).containsExactly(new StoredSession("c", 120, 2, null, List.of()));
  }

  @Test
  void keepsEveryMessagePropertyExactly() {
    ApplicationMessage full = new ApplicationMessage(77, "pub", TopicName.parse("sensors/é/温度"),
        "payload".getBytes(StandardCharsets.UTF_8), 2, true, 5_000, 3600, 1, "text/plain", "reply/here",
        new byte[] {0, 1, 2, (byte) 255}, List.of(new MessageProperty("k", "v"), new MessageProperty("k", "v2")), null);
    store.saveRetained(full);

    assertThat(reopenAndLoad().retained()).containsExactly(full);
  }

  @Test
  void aRetainedMessageReplacesTheTopicsPreviousOneAndCanBeDeleted() {
    store.saveRetained(message(1, "p", "a", "first", 0));
    store.saveRetained(message(2, "p", "a", "second", 0));
    store.saveRetained(message(3, "p", "b", "other", 0));
    store.deleteRetained(TopicName.parse("b"));

    assertThat(reopenAndLoad().retained()).containsExactly(message(2, "p", "a", "second", 0));
  }

  @Test
  void queuesComeBackInSequenceOrderPerClient() {
    for (long sequence : new long[] {3, 1, 2, 300, 17}) {
      store.enqueue("c", queued(sequence, message(sequence, "p", "t", "m" + sequence, 1)));
    }

    List<QueuedMessage> queue = reopenAndLoad().queues().get("c");

    assertThat(queue).extracting(QueuedMessage::sequence).containsExactly(1L, 2L, 3L, 17L, 300L);
    assertThat(queue.get(0).message()).isEqualTo(message(1, "p", "t", "m1", 1));
  }

  @Test
  void oneMessageQueuedForManySessionsComesBackForEach() {
    ApplicationMessage shared = message(5, "p", "t", "fan-out", 2);
    store.enqueue("a", queued(1, shared));
    store.enqueue("b", new QueuedMessage(8, TopicFilter.parse("$share/g/t"), shared, 1, true, List.of(4, 9),
        QueuedMessage.Progress.WAITING));

    StoreSnapshot snapshot = reopenAndLoad();

    assertThat(snapshot.queues().get("a")).containsExactly(queued(1, shared));
    assertThat(snapshot.queues().get("b")).containsExactly(new QueuedMessage(8, TopicFilter.parse("$share/g/t"),
        shared, 1, true, List.of(4, 9), QueuedMessage.Progress.WAITING));
  }

  @Test
  void dequeuedMessagesAreGone() {
    ApplicationMessage message = message(5, "p", "t", "m", 1);
    store.enqueue("a", queued(1, message));
    store.enqueue("b", queued(1, message));
    store.dequeue("a", 1);

    StoreSnapshot snapshot = reopenAndLoad();

    assertThat(snapshot.queues()).containsOnlyKeys("b");
  }

  @Test
  void keepsTheReleasedMarkOfAQos2Message() {
    store.enqueue("c", waiting(1, message(1, "p", "t", "m", 2)));
    store.markProgress("c", 1, QueuedMessage.Progress.RELEASED);

    assertThat(reopenAndLoad().queues().get("c")).singleElement().extracting(QueuedMessage::progress)
        .isEqualTo(QueuedMessage.Progress.RELEASED);
  }

  @Test
  void keepsTheReleasedMarkOfAQos2MessageThatWasAlreadyDurable() throws Exception {
    store.enqueue("c", waiting(1, message(1, "p", "t", "m", 2)));
    store.sync().get(5, TimeUnit.SECONDS);
    store.markProgress("c", 1, QueuedMessage.Progress.RELEASED);

    assertThat(reopenAndLoad().queues().get("c")).singleElement().extracting(QueuedMessage::progress)
        .isEqualTo(QueuedMessage.Progress.RELEASED);
  }

  @Test
  void recordsWhichMessagesWereSentSoThatOnlyTheyComeBackAsSent() throws Exception {
    store.enqueue("c", waiting(1, message(1, "p", "t", "m1", 1)));
    store.enqueue("c", waiting(2, message(2, "p", "t", "m2", 1)));
    store.sync().get(5, TimeUnit.SECONDS); // one written before it was marked, one not
    store.markProgress("c", 1, QueuedMessage.Progress.SENT);
    store.enqueue("c", waiting(3, message(3, "p", "t", "m3", 1)));
    store.markProgress("c", 3, QueuedMessage.Progress.SENT);

    assertThat(reopenAndLoad().queues().get("c")).extracting(QueuedMessage::progress).containsExactly(
        QueuedMessage.Progress.SENT, QueuedMessage.Progress.WAITING, QueuedMessage.Progress.SENT);
  }

  @Test
  void aWrittenEntryMarkedSentAndAcknowledgedBeforeTheNextSyncIsGone() throws Exception {
    store.enqueue("c", waiting(1, message(1, "p", "t", "m1", 1)));
    store.enqueue("c", waiting(2, message(2, "p", "t", "m2", 1)));
    store.sync().get(5, TimeUnit.SECONDS);
    store.markProgress("c", 1, QueuedMessage.Progress.SENT);
    store.markProgress("c", 2, QueuedMessage.Progress.SENT);
    store.dequeue("c", 1);
    store.sync().get(5, TimeUnit.SECONDS);

    assertThat(reopenAndLoad().queues().get("c")).singleElement().satisfies(entry -> {
      assertThat(entry.sequence()).isEqualTo(2);
      assertThat(entry.progress()).isEqualTo(QueuedMessage.Progress.SENT);
    });
  }

  @Test
  void anEntryQueuedAgainUnderItsSequenceDoesNotInheritTheOldOnesMark() throws Exception {
    store.enqueue("c", waiting(1, message(1, "p", "t", "old", 2)));
    store.sync().get(5, TimeUnit.SECONDS);
    store.markProgress("c", 1, QueuedMessage.Progress.RELEASED);
    store.enqueue("c", waiting(1, message(2, "p", "t", "new", 2)));

    assertThat(reopenAndLoad().queues().get("c")).singleElement().satisfies(entry -> {
      assertThat(entry.message().id()).isEqualTo(2);
      assertThat(entry.progress()).isEqualTo(QueuedMessage.Progress.WAITING);
    });
  }

  @Test
  void progressNeverGoesBack() {
    store.enqueue("c", waiting(1, message(1, "p", "t", "m", 2)));
    store.markProgress("c", 1, QueuedMessage.Progress.RELEASED);
    store.markProgress("c", 1, QueuedMessage.Progress.SENT);

    assertThat(reopenAndLoad().queues().get("c")).singleElement().extracting(QueuedMessage::progress)
        .isEqualTo(QueuedMessage.Progress.RELEASED);
  }

  private static QueuedMessage waiting(long sequence, ApplicationMessage message) {
    return new QueuedMessage(sequence, T, message, message.qos(), false, List.of(), QueuedMessage.Progress.WAITING);
  }

  @Test
  void dequeuesMessagesQueuedBeforeAndAfterTheLastSync() throws Exception {
    store.enqueue("c", queued(1, message(1, "p", "t", "durable", 1)));
    store.enqueue("c", queued(2, message(2, "p", "t", "durable too", 1)));
    store.sync().get(5, TimeUnit.SECONDS);
    store.enqueue("c", queued(3, message(3, "p", "t", "recent", 1)));
    store.enqueue("c", queued(4, message(4, "p", "t", "recent too", 1)));
    store.dequeue("c", 1);
    store.dequeue("c", 3);

    assertThat(reopenAndLoad().queues().get("c")).extracting(QueuedMessage::sequence).containsExactly(2L, 4L);
  }

  @Test
  void deletingASessionDeletesEntriesQueuedBeforeAndAfterTheLastSync() throws Exception {
    store.saveSession(new StoredSession("c", 60, 1, null, List.of()));
    store.enqueue("c", queued(1, message(1, "p", "t", "durable", 1)));
    store.sync().get(5, TimeUnit.SECONDS);
    store.enqueue("c", queued(2, message(2, "p", "t", "recent", 1)));
    store.deleteSession("c");
    store.enqueue("d", queued(1, message(2, "p", "t", "recent", 1)));

    StoreSnapshot snapshot = reopenAndLoad();

    assertThat(snapshot.queues()).containsOnlyKeys("d");
    assertThat(snapshot.queues().get("d")).singleElement().extracting(q -> q.message().id()).isEqualTo(2L);
  }

  @Test
  void keepsInboundPacketIdsUntilRemoved() {
    store.addInboundPacketId("c", 1);
    store.addInboundPacketId("c", 65_535);
    store.addInboundPacketId("d", 7);
    store.removeInboundPacketId("d", 7);

    assertThat(reopenAndLoad().inboundPacketIds()).isEqualTo(Map.of("c", Set.of(1, 65_535)));
  }

  @Test
  void deletingASessionDeletesItsQueueAndPacketIdsButNotThoseOfClientsWithTheSamePrefix() {
    for (String client : List.of("a", "ab", "a b")) {
      store.saveSession(new StoredSession(client, 60, 1, null, List.of()));
      store.enqueue(client, queued(1, message(1, "p", "t", "m", 1)));
      store.addInboundPacketId(client, 3);
    }
    store.deleteSession("a");

    StoreSnapshot snapshot = reopenAndLoad();

    assertThat(snapshot.sessions()).extracting(StoredSession::clientId).containsExactlyInAnyOrder("ab", "a b");
    assertThat(snapshot.queues()).containsOnlyKeys("ab", "a b");
    assertThat(snapshot.inboundPacketIds()).containsOnlyKeys("ab", "a b");
  }

  @Test
  void reportsTheLargestMessageIdStillStored() {
    store.saveRetained(message(40, "p", "r", "retained", 0));
    store.enqueue("c", queued(1, message(90, "p", "t", "queued", 1)));

    assertThat(reopenAndLoad().maxMessageId()).isEqualTo(90);
  }

  @Test
  void syncCompletesWhileOpenAndFailsOnceClosed() throws Exception {
    store.saveSession(new StoredSession("c", 60, 1, null, List.of()));
    store.sync().get(5, TimeUnit.SECONDS);

    store.close();

    assertThat(store.sync()).isCompletedExceptionally();
    store = reopen(store);
  }

  private StoreSnapshot reopenAndLoad() {
    store = reopen(store);
    return store.load();
  }

  static ApplicationMessage message(long id, String publisher, String topic, String payload, int qos) {
    return new ApplicationMessage(id, publisher, TopicName.parse(topic), payload.getBytes(StandardCharsets.UTF_8),
        qos, false, 1_000, ApplicationMessage.NO_EXPIRY, 0, null, null, null, List.of(), null);
  }

  static QueuedMessage queued(long sequence, ApplicationMessage message) {
    return new QueuedMessage(sequence, T, message, 1, false, List.of(), QueuedMessage.Progress.WAITING);
  }
}
