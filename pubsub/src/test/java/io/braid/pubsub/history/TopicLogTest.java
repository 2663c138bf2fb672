package io.braid.pubsub.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.HistoryPosition;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.store.StoredHistory;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicLogTest {

  private static final TopicName TOPIC = TopicName.parse("chat/rooms/a");
  private final InMemoryStore store = new InMemoryStore();
  private long id;

  private static final HistoryRule TEN = new HistoryRule(TopicFilter.parse("chat/rooms/+"), 10, 0);

  private TopicLog log(int maxMessages, long maxAgeSeconds) {
    return TopicLog.create(TOPIC, new HistoryRule(TopicFilter.parse("chat/rooms/+"), maxMessages, maxAgeSeconds), store,
        "e1");
  }

  private ApplicationMessage message(String payload, long atMillis) {
    return ApplicationMessage.of("pub", TOPIC.asString(), payload.getBytes(StandardCharsets.UTF_8), 1, false)
        .accepted(++id, atMillis);
  }

  private static List<Long> offsets(TopicLog.Replay replay) {
    return replay.messages().stream().map(message -> message.position().offset()).toList();
  }

  @Test
  void offsetsStartAtOneAndIncreaseByOne() {
    TopicLog log = log(10, 0);

    assertThat(log.append(message("a", 0), 0).position()).isEqualTo(new HistoryPosition("e1", 1));
    assertThat(log.append(message("b", 0), 0).position()).isEqualTo(new HistoryPosition("e1", 2));
  }

  @Test
  void aReaderAfterAnOffsetGetsEverythingAfterItAndIsComplete() {
    TopicLog log = log(10, 0);
    for (int i = 0; i < 5; i++) {
      log.append(message("m" + i, 0), 0);
    }

    TopicLog.Replay replay = log.read(new StartFrom.After("e1", 2), 0);

    assertThat(offsets(replay)).containsExactly(3L, 4L, 5L);
    assertThat(replay.recovery()).isEqualTo(Recovery.complete(new HistoryPosition("e1", 5)));
    assertThat(replay.upTo()).isEqualTo(5);
  }

  @Test
  void aReaderBehindTheKeptMessagesIsToldExactlyWhichWereTrimmed() {
    TopicLog log = log(3, 0);
    for (int i = 0; i < 6; i++) {
      log.append(message("m" + i, 0), 0);
    }

    TopicLog.Replay replay = log.read(new StartFrom.After("e1", 1), 0);

    assertThat(offsets(replay)).containsExactly(4L, 5L, 6L);
    assertThat(replay.recovery()).isEqualTo(Recovery.gap(2, 3, Recovery.GapReason.TRIMMED,
        new HistoryPosition("e1", 6)));
  }

  @Test
  void messagesOlderThanTheAgeLimitAreTrimmed() {
    TopicLog log = log(100, 10);
    log.append(message("old", 0), 0);
    log.append(message("new", 9_000), 9_000);

    TopicLog.Replay replay = log.read(new StartFrom.After("e1", 0), 15_000);

    assertThat(offsets(replay)).containsExactly(2L);
    assertThat(replay.recovery().reason()).isEqualTo(Recovery.GapReason.TRIMMED);
    assertThat(replay.recovery().gapFrom()).isEqualTo(1);
    assertThat(replay.recovery().gapTo()).isEqualTo(1);
  }

  @Test
  void aPositionOfAnotherEpochGetsTheWholeHistoryAndAnEpochGap() {
    TopicLog log = log(10, 0);
    log.append(message("a", 0), 0);

    TopicLog.Replay replay = log.read(new StartFrom.After("gone", 40), 0);

    assertThat(offsets(replay)).containsExactly(1L);
    assertThat(replay.recovery().status()).isEqualTo(Recovery.Status.GAP);
    assertThat(replay.recovery().reason()).isEqualTo(Recovery.GapReason.EPOCH_CHANGED);
    assertThat(replay.recovery().gapFrom()).as("nothing of the new epoch is missing").isZero();
  }

  @Test
  void lastNGivesTheNewestN() {
    TopicLog log = log(10, 0);
    for (int i = 0; i < 5; i++) {
      log.append(message("m" + i, 0), 0);
    }

    TopicLog.Replay replay = log.read(new StartFrom.Last(2), 0);

    assertThat(offsets(replay)).containsExactly(4L, 5L);
    assertThat(replay.recovery().status()).isEqualTo(Recovery.Status.COMPLETE);
  }

  @Test
  void lastNBeyondWhatWasTrimmedIsAGap() {
    TopicLog log = log(2, 0);
    for (int i = 0; i < 5; i++) {
      log.append(message("m" + i, 0), 0);
    }

    TopicLog.Replay replay = log.read(new StartFrom.Last(4), 0);

    assertThat(offsets(replay)).containsExactly(4L, 5L);
    assertThat(replay.recovery().reason()).isEqualTo(Recovery.GapReason.TRIMMED);
  }

  @Test
  void sinceATimeGivesWhatCameAtOrAfterIt() {
    TopicLog log = log(10, 0);
    log.append(message("early", 1_000), 1_000);
    log.append(message("late", 5_000), 5_000);

    TopicLog.Replay replay = log.read(new StartFrom.Since(5_000), 6_000);

    assertThat(offsets(replay)).containsExactly(2L);
    assertThat(replay.recovery().status()).isEqualTo(Recovery.Status.COMPLETE);
  }

  @Test
  void afterACleanStopOffsetsContinueWithoutAGap() {
    TopicLog log = log(10, 0);
    log.append(message("a", 0), 0);
    log.append(message("b", 0), 0);
    log.closeCleanly();

    TopicLog restored = TopicLog.restore(TEN, store, stored());

    assertThat(restored.append(message("c", 0), 0).position().offset()).isEqualTo(3);
    assertThat(restored.read(new StartFrom.After("e1", 2), 0).recovery().status())
        .isEqualTo(Recovery.Status.COMPLETE);
  }

  @Test
  void afterAnUncleanStopNoOffsetIsHandedOutTwiceAndTheUnstoredOnesAreReportedLost() {
    TopicLog log = log(10, 0);
    log.append(message("a", 0), 0); // stored, and its reservation with it; no clean stop follows

    TopicLog restored = TopicLog.restore(TEN, store, stored());
    long next = restored.append(message("after", 0), 0).position().offset();

    assertThat(next).isGreaterThan(TopicLog.RESERVATION);
    TopicLog.Replay replay = restored.read(new StartFrom.After("e1", 1), 0);
    assertThat(offsets(replay)).containsExactly(next);
    assertThat(replay.recovery()).isEqualTo(Recovery.gap(2, next - 1, Recovery.GapReason.LOST,
        new HistoryPosition("e1", next)));
  }

  private StoredHistory stored() {
    return store.load().histories().get(0);
  }
}
