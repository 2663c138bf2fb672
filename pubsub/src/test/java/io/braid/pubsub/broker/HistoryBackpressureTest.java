package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.history.HistoryRule;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.ControlledStore;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A QoS 0 message kept in a topic's history costs the store a write that no acknowledgement paces: while the store
 * is behind, its publisher waits for it (and with it, on the wire, the publisher's credit), so that a flood cannot
 * pile up unwritten changes without bound. Ordinary QoS 0 publishes never wait.
 */
class HistoryBackpressureTest {

  private final ControlledStore store = new ControlledStore();
  private final BrokerFixture fixture = new BrokerFixture(BrokerOptions.DEFAULTS, store, closed -> closed,
      List.of(new HistoryRule(TopicFilter.parse("kept/#"), 100, 0)));
  private final BrokerFixture.Client publisher = fixture.connectClean("pub");

  private CompletableFuture<AckReason> publish(String topic) {
    return publisher.session().publish(ApplicationMessage.of("pub", topic, BrokerFixture.bytes("m"), 0, false), 0);
  }

  @Test
  void aQos0MessageKeptInHistoryWaitsForAStoreThatIsBehind() {
    store.backlog = SessionHandle.STORE_BACKLOG_LIMIT + 1;

    CompletableFuture<AckReason> kept = publish("kept/t");

    assertThat(kept).isNotDone();
    store.completeSyncs();
    assertThat(kept).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void aQos0MessageKeptInHistoryDoesNotWaitForAStoreThatKeepsUp() {
    store.backlog = SessionHandle.STORE_BACKLOG_LIMIT;

    assertThat(publish("kept/t")).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void aQos0MessageTheStoreDoesNotKeepNeverWaits() {
    store.backlog = SessionHandle.STORE_BACKLOG_LIMIT + 1;

    assertThat(publish("other/t")).isCompletedWithValue(AckReason.SUCCESS);
  }
}
