package io.braid.bench.jmh;

import io.braid.pubsub.topic.NaiveMatcher;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import io.braid.pubsub.topic.TopicTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Match throughput of the subscription index ({@link TopicTree}) against the naive reference ({@link NaiveMatcher}) as
 * the number of subscriptions grows. One operation matches one pre-parsed topic name
 * {@code region{r}/device{d}/metric{m}} and consumes every matching subscriber.
 *
 * <p>Subscriptions are 60% exact ({@code region3/device17/metric5}), 10% leading {@code +}
 * ({@code +/device17/metric5}), 20% trailing {@code +} ({@code region3/device17/+}) and 10% {@code #}
 * ({@code region3/device17/#}). The device space grows with the subscription count (one device per 100 subscriptions), so
 * a topic matches about four subscribers at every size: a flat tree figure means the cost does not grow with the
 * subscription count. The naive matcher scans every subscription, so it is only run up to 100k
 * ({@code naiveSubscriptions}).
 *
 * <p>{@code exactHashLookup} is the control for "flat": one {@link HashMap} lookup of the whole topic in a map of as
 * many exact subscriptions, the least work any matcher can do per match, and O(1) by construction. Whatever it
 * loses as the map grows is the memory hierarchy (the structure leaves the caches and the TLB's reach), not the
 * algorithm; the tree's figures are to be read against it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TopicMatchBenchmark {

  private static final int REGIONS = 10;
  private static final int METRICS = 10;
  private static final int TOPICS = 1024;

  /** The subscription index at each size. */
  @State(Scope.Benchmark)
  public static class TreeState {
    @Param({"1000", "10000", "100000", "1000000"})
    public int subscriptions;

    /**
     * How many distinct topics the matches cycle through (a power of two). 1024 by default; the cache experiment
     * runs 16, a set whose paths stay in the CPU caches at every size, to separate the algorithm's cost from the
     * memory hierarchy's.
     */
    @Param({"1024"})
    public int distinctTopics;

    TopicTree<Integer> tree;
    TopicName[] topics;

    @Setup(Level.Trial)
    public void setUp() {
      tree = new TopicTree<>();
      Random random = new Random(42);
      int devices = devices(subscriptions);
      for (int id = 0; id < subscriptions; id++) {
        tree.subscribe(TopicFilter.parse(filter(random, devices)), id);
      }
      topics = java.util.Arrays.copyOf(topics(devices), distinctTopics);
    }
  }

  /** The naive reference, only up to 100k subscriptions (it scans them all on every match). */
  @State(Scope.Benchmark)
  public static class NaiveState {
    @Param({"1000", "10000", "100000"})
    public int naiveSubscriptions;

    NaiveMatcher<Integer> naive;
    TopicName[] topics;

    @Setup(Level.Trial)
    public void setUp() {
      naive = new NaiveMatcher<>();
      Random random = new Random(42);
      int devices = devices(naiveSubscriptions);
      for (int id = 0; id < naiveSubscriptions; id++) {
        naive.subscribe(TopicFilter.parse(filter(random, devices)), id);
      }
      topics = topics(devices);
    }
  }

  /** The control: the same number of subscriptions, all exact, in a hash map keyed by topic. */
  @State(Scope.Benchmark)
  public static class HashState {
    @Param({"1000", "10000", "100000", "1000000"})
    public int hashSubscriptions;

    Map<String, List<Integer>> map;
    String[] topics;

    @Setup(Level.Trial)
    public void setUp() {
      map = new HashMap<>();
      Random random = new Random(42);
      int devices = devices(hashSubscriptions);
      for (int id = 0; id < hashSubscriptions; id++) {
        String topic = "region" + random.nextInt(REGIONS) + "/device" + random.nextInt(devices) + "/metric"
            + random.nextInt(METRICS);
        map.computeIfAbsent(topic, key -> new ArrayList<>(1)).add(id);
      }
      TopicName[] parsed = topics(devices);
      topics = new String[parsed.length];
      for (int i = 0; i < parsed.length; i++) {
        topics[i] = parsed[i].asString();
      }
    }
  }

  /** Which of the pre-parsed topics the next operation matches; per thread. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance(int count) {
      next = (next + 1) & (count - 1);
      return next;
    }
  }

  @Benchmark
  public void topicTree(TreeState state, Cursor cursor, Blackhole blackhole) {
    state.tree.match(state.topics[cursor.advance(state.topics.length)], blackhole::consume);
  }

  @Benchmark
  public void exactHashLookup(HashState state, Cursor cursor, Blackhole blackhole) {
    List<Integer> matches = state.map.get(state.topics[cursor.advance(state.topics.length)]);
    if (matches != null) {
      for (Integer match : matches) {
        blackhole.consume(match);
      }
    }
  }

  @Benchmark
  public List<Integer> naiveMatcher(NaiveState state, Cursor cursor) {
    return state.naive.match(state.topics[cursor.advance(state.topics.length)]);
  }

  static int devices(int subscriptions) {
    return Math.max(1, subscriptions / 100);
  }

  static String filter(Random random, int devices) {
    int region = random.nextInt(REGIONS);
    int device = random.nextInt(devices);
    int metric = random.nextInt(METRICS);
    int kind = random.nextInt(10);
    if (kind < 6) {
      return "region" + region + "/device" + device + "/metric" + metric;
    } else if (kind < 7) {
      return "+/device" + device + "/metric" + metric;
    } else if (kind < 9) {
      return "region" + region + "/device" + device + "/+";
    }
    return "region" + region + "/device" + device + "/#";
  }

  static TopicName[] topics(int devices) {
    Random random = new Random(7);
    TopicName[] topics = new TopicName[TOPICS];
    for (int i = 0; i < TOPICS; i++) {
      topics[i] = TopicName.parse("region" + random.nextInt(REGIONS) + "/device" + random.nextInt(devices)
          + "/metric" + random.nextInt(METRICS));
    }
    return topics;
  }
}
