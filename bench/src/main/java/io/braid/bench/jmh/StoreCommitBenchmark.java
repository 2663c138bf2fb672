package io.braid.bench.jmh;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.StoreStats;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What group commit buys: durable QoS 1 publishes per second on the durable store (fsync policy), each one queued
 * for a subscriber, synced, and acknowledged by the subscriber later. {@code syncEachPublish} waits for every sync
 * before the next publish, so every publish pays its own commit and fsync; {@code groupCommit} keeps 256 publishes
 * waiting for their sync, as 256 publishers (or one pipelining publisher) do, so one commit serves all that
 * arrived during the previous one. Each trial prints how many syncs a commit served on average.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class StoreCommitBenchmark {

  static final int IN_FLIGHT = 256;
  private static final TopicFilter SUBSCRIPTION = TopicFilter.parse("bench/t");
  private static final TopicName TOPIC = TopicName.parse("bench/t");

  @State(Scope.Thread)
  public static class Store {
    StoreFixture fixture;
    BrokerStore store;
    @SuppressWarnings("unchecked")
    final CompletableFuture<Void>[] inFlight = new CompletableFuture[IN_FLIGHT];
    long sequence;

    @Setup(Level.Trial)
    public void open() {
      fixture = StoreFixture.open("mvstore");
      store = fixture.store();
    }

    @TearDown(Level.Trial)
    public void close() {
      StoreStats stats = store.stats();
      System.out.printf("%n%d syncs in %d commits: %.1f syncs per commit, mean commit %.0f us%n", stats.syncs(),
          stats.commits(), stats.syncs() / (double) Math.max(1, stats.commits()), stats.meanCommitMicros());
      store.close();
      fixture.delete();
    }

    void enqueue(long sequence) {
      ApplicationMessage message = new ApplicationMessage(sequence, "publisher", TOPIC, new byte[100], 1, false,
          0, ApplicationMessage.NO_EXPIRY, 0, null, null, null, List.of(), null);
      store.enqueue("subscriber", new QueuedMessage(sequence, SUBSCRIPTION, message, 1, false, List.of(),
          QueuedMessage.Progress.WAITING));
    }
  }

  @Benchmark
  public void syncEachPublish(Store state) {
    long sequence = ++state.sequence;
    state.enqueue(sequence);
    state.store.sync().join();
    state.store.dequeue("subscriber", sequence); // the subscriber's acknowledgement
  }

  @Benchmark
  public void groupCommit(Store state) {
    long sequence = ++state.sequence;
    int slot = (int) (sequence % IN_FLIGHT);
    CompletableFuture<Void> oldest = state.inFlight[slot];
    if (oldest != null) {
      oldest.join(); // the publish IN_FLIGHT before this one must be durable before another one waits
      state.store.dequeue("subscriber", sequence - IN_FLIGHT);
    }
    state.enqueue(sequence);
    state.inFlight[slot] = state.store.sync();
  }
}
