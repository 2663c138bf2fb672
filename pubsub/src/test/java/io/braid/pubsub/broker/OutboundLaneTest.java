package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.HistoryPosition;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The seam between a history replay and live deliveries, in one lane. */
class OutboundLaneTest {

  private static final TopicFilter FILTER = TopicFilter.parse("chat/a");
  private final AtomicLong sequences = new AtomicLong(100);
  private final OutboundLane lane = new OutboundLane(FILTER);

  private static ApplicationMessage at(long offset) {
    return ApplicationMessage.of("pub", "chat/a", new byte[] {(byte) offset}, 1, false).accepted(offset, 0)
        .at(new HistoryPosition("e", offset));
  }

  private static OutboundEntry live(long offset, boolean retain) {
    return new OutboundEntry(offset, FILTER, at(offset), 1, retain, List.of(), false);
  }

  private long takeReplayHead() {
    OutboundEntry head = lane.replayHead(sequences::getAndIncrement, 0);
    lane.replayHeadTaken();
    return head.message.position().offset();
  }

  @Test
  void liveMessagesWaitBehindTheReplayAndThoseItHadAreDropped() {
    lane.beginReplay();
    OutboundEntry duplicate = live(3, false);
    OutboundEntry fresh = live(4, false);
    lane.add(duplicate); // published before the history was read, routed after the subscription existed
    lane.add(fresh);
    lane.replay(List.of(at(2), at(3)), SubscriptionOptions.ofMaxQos(1));

    assertThat(takeReplayHead()).isEqualTo(2);
    assertThat(takeReplayHead()).isEqualTo(3);
    assertThat(lane.replayDone()).isTrue();
    assertThat(lane.endReplay(entry -> entry.message.position().offset() <= 3)).containsExactly(duplicate);
    assertThat(lane.waiting).containsExactly(fresh);
  }

  @Test
  void replayEntriesTakeTheSubscriptionsQosAndNewSequencesAndAreNotStored() {
    lane.beginReplay();
    ApplicationMessage qos2 = ApplicationMessage.of("pub", "chat/a", new byte[0], 2, false).accepted(9, 0)
        .at(new HistoryPosition("e", 9));
    lane.replay(List.of(qos2), SubscriptionOptions.ofMaxQos(1));

    OutboundEntry head = lane.replayHead(sequences::getAndIncrement, 0);

    assertThat(head.qos).isEqualTo(1);
    assertThat(head.sequence).isEqualTo(100);
    assertThat(head.stored).isFalse();
  }

  @Test
  void nothingIsSentBeforeTheHistoryIsRead() {
    lane.beginReplay();

    assertThat(lane.replayHead(sequences::getAndIncrement, 0)).isNull();
    assertThat(lane.replayDone()).isFalse();
    assertThat(lane.isEmpty()).isFalse();
  }
}
