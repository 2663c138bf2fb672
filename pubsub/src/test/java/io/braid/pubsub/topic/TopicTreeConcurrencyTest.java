package io.braid.pubsub.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Readers match while writers subscribe and unsubscribe on the same paths. Bounded iterations, no sleeps: the
 * assertions hold for every interleaving.
 */
class TopicTreeConcurrencyTest {

  private static final int READERS = 4;
  private static final int WRITERS = 3;
  private static final int READS_PER_READER = 40_000;
  private static final int WRITES_PER_WRITER = 20_000;
  private static final List<String> STABLE_FILTERS = List.of("stable/x", "stable/+", "#", "stable/#");
  private static final List<String> CHURN_FILTERS = List.of("stable/x", "stable/+", "stable/#", "stable/x/y", "+/x",
      "stable", "+/+/#", "other/a", "stable/x/#", "$SYS/#", "+/+", "stable/y");
  private static final List<String> TOPICS = List.of("stable/x", "stable/y", "stable/x/y", "$SYS/x");

  private final TopicTree<String> tree = new TopicTree<>();

  @Test
  @Timeout(60)
  void subscriptionsPresentThroughoutAreAlwaysMatchedWhileOthersChange() throws Exception {
    for (String filter : STABLE_FILTERS) {
      tree.subscribe(TopicFilter.parse(filter), "stable|" + filter);
    }
    int baselineNodes = tree.nodeCount();
    CyclicBarrier start = new CyclicBarrier(READERS + WRITERS);
    ExecutorService pool = Executors.newFixedThreadPool(READERS + WRITERS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        int reader = r;
        futures.add(pool.submit(() -> read(start, reader)));
      }
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        futures.add(pool.submit(() -> write(start, writer)));
      }
      for (Future<?> future : futures) {
        future.get(50, TimeUnit.SECONDS); // rethrows any assertion error or exception from a thread
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(tree.subscriptionCount()).isEqualTo(STABLE_FILTERS.size());
    assertThat(tree.nodeCount()).isEqualTo(baselineNodes);
    assertThat(tree.match(TopicName.parse("stable/x")))
        .containsExactlyInAnyOrder("stable|stable/x", "stable|stable/+", "stable|#", "stable|stable/#");
  }

  private Void read(CyclicBarrier start, int reader) throws Exception {
    start.await();
    for (int i = 0; i < READS_PER_READER; i++) {
      String topic = TOPICS.get((i + reader) % TOPICS.size());
      TopicName topicName = TopicName.parse(topic);
      List<String> matches = tree.match(topicName);
      for (String stableFilter : STABLE_FILTERS) {
        if (NaiveMatcher.matches(stableFilter, topic)) {
          assertThat(matches).as("matches of %s", topic).contains("stable|" + stableFilter);
        }
      }
      for (String subscriber : matches) {
        String filter = subscriber.split("\\|")[1]; // "stable|{filter}" or "churn|{filter}|{writer}:{i}"
        assertThat(NaiveMatcher.matches(filter, topic)).as("%s matched %s", subscriber, topic).isTrue();
      }
    }
    return null;
  }

  private Void write(CyclicBarrier start, int writer) throws Exception {
    Random random = new Random(writer);
    Deque<String[]> live = new ArrayDeque<>();
    start.await();
    for (int i = 0; i < WRITES_PER_WRITER; i++) {
      if (live.size() < 16 && (live.isEmpty() || random.nextBoolean())) {
        String filter = CHURN_FILTERS.get(random.nextInt(CHURN_FILTERS.size()));
        String subscriber = "churn|" + filter + "|" + writer + ":" + i;
        assertThat(tree.subscribe(TopicFilter.parse(filter), subscriber)).isTrue();
        live.add(new String[] {filter, subscriber});
      } else {
        String[] oldest = random.nextBoolean() ? live.pollFirst() : live.pollLast();
        assertThat(tree.unsubscribe(TopicFilter.parse(oldest[0]), oldest[1])).isTrue();
      }
    }
    for (String[] remaining : live) {
      assertThat(tree.unsubscribe(TopicFilter.parse(remaining[0]), remaining[1])).isTrue();
    }
    return null;
  }
}
