package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.pubsub.history.HistoryRule;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A subscriber starting at offset 0 of a topic while two publishers keep publishing to it on other threads: it gets
 * every offset exactly once, the replay's and the live ones, whatever the interleaving at the seam.
 */
class HistorySeamConcurrencyTest {

  private static final int PER_PUBLISHER = 2_000;

  private final ExecutorService threads = Executors.newFixedThreadPool(3);
  private final Broker broker = Broker.builder().store(new InMemoryStore())
      .options(BrokerOptions.DEFAULTS.withMaxQueuedMessages(10 * PER_PUBLISHER))
      .histories(List.of(new HistoryRule(TopicFilter.parse("seam/#"), 10 * PER_PUBLISHER, 0))).build();

  @AfterEach
  void stop() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    broker.close();
  }

  @RepeatedTest(5)
  void everyOffsetArrivesOnceAcrossTheSeam() throws Exception {
    for (int p = 0; p < 2; p++) {
      String publisher = "pub" + p;
      threads.execute(() -> {
        SessionHandle handle = BrokerFixture.join(broker.connect(ConnectRequest.clean(publisher),
            new RecordingLink(), Runnable::run)).handle();
        for (int i = 0; i < PER_PUBLISHER; i++) {
          handle.publish(ApplicationMessage.of(publisher, "seam/t", new byte[] {1}, 0, false), 0);
        }
      });
    }
    RecordingLink link = new RecordingLink();
    ExecutorService subscriberLoop = Executors.newSingleThreadExecutor();
    try {
      SessionHandle subscriber = BrokerFixture.join(broker.connect(ConnectRequest.clean("sub"), link,
          subscriberLoop)).handle();
      subscriber.start();
      // the seam must fall among the publishers' messages, not before them
      await().atMost(Duration.ofSeconds(10)).until(() -> broker.histories().messageCount() > 0);
      String epoch = broker.histories().replay(TopicFilter.parse("seam/t"), new StartFrom.Last(1)).recovery().latest()
          .epoch();
      subscriber.subscribe(TopicFilter.parse("seam/t"), SubscriptionOptions.ofMaxQos(0),
          new StartFrom.After(epoch, 0));

      await().atMost(Duration.ofSeconds(20)).until(() -> link.publishes.size() >= 2 * PER_PUBLISHER);
      List<Long> offsets = link.publishes.stream().map(publish -> publish.message().position().offset()).toList();
      assertThat(offsets).doesNotHaveDuplicates().hasSize(2 * PER_PUBLISHER);
      assertThat(offsets.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(2 * PER_PUBLISHER);
    } finally {
      subscriberLoop.shutdownNow();
    }
  }
}
