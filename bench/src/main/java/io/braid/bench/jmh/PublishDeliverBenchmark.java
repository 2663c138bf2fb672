package io.braid.bench.jmh;

import io.braid.pubsub.broker.AckReason;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.BrokerOptions;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.history.HistoryRule;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publish-to-deliver throughput of the broker core in process, in delivered messages per second: 1 publisher to 1
 * subscriber, 1 to 1,000 (fan-out) and 1,000 to 1 (fan-in), at QoS 0 and QoS 1. Subscribers hold persistent
 * sessions, so at QoS 1 every delivery is queued in the store and every publish is acknowledged only after a
 * (group) commit; with the durable store that is the cost of durability.
 *
 * <p>Two single-thread executors stand in for the server's two event loops (this machine has two cores): the
 * publishers run on the first, subscribers are spread over both and acknowledge each delivery at once. One
 * operation is one delivery; an invocation publishes a batch and returns once every delivery arrived and, at QoS 1,
 * every publish was acknowledged.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PublishDeliverBenchmark {

  static final int DELIVERIES = 10_000;
  private static final byte[] PAYLOAD = new byte[100];

  @State(Scope.Benchmark)
  public static class Fixture {
    @Param({"0", "1"})
    public int qos;

    @Param({"memory", "mvstore"})
    public String store;

    /** {@code history}: every topic keeps its last 1,000 messages (offsets, store writes), as history.filters=#. */
    @Param({"plain"})
    public String topics;

    final ExecutorService[] loops = {Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor()};
    AtomicLong delivered;
    CountingSessions sessions;
    Broker broker;
    StoreFixture storeFixture;

    @Setup(Level.Trial)
    public void startBroker() {
      storeFixture = StoreFixture.open(store);
      broker = Broker.builder()
          .options(BrokerOptions.DEFAULTS.withMaxQueuedMessages(100_000).withMaxInflight(1_000))
          .store(storeFixture.store())
          .offlineExecutor(loops[1])
          .histories(topics.equals("history") ? List.of(new HistoryRule(TopicFilter.parse("#"), 1_000, 0)) : List.of())
          .build();
      sessions = new CountingSessions(broker);
      delivered = sessions.delivered;
    }

    @TearDown(Level.Trial)
    public void stopBroker() {
      for (ExecutorService loop : loops) {
        loop.shutdownNow();
      }
      broker.close();
      storeFixture.delete();
    }

    /** A connected session on {@code loop} whose link counts deliveries and acknowledges each at once. */
    SessionHandle connect(String clientId, ExecutorService loop, boolean persistent) {
      return sessions.connect(clientId, loop, persistent);
    }

    void subscribe(SessionHandle handle, String filter, ExecutorService loop) {
      join(CompletableFuture.supplyAsync(
          () -> handle.subscribe(TopicFilter.parse(filter), SubscriptionOptions.ofMaxQos(1)), loop));
    }

    /** Publishes {@code count} messages from each publisher on the first loop; waits for deliveries and acks. */
    void run(List<SessionHandle> publishers, int count, String topic) {
      long target = delivered.get() + DELIVERIES;
      CompletableFuture<Void> acked = CompletableFuture.supplyAsync(() -> {
        List<CompletableFuture<AckReason>> acks = new ArrayList<>(publishers.size() * count);
        for (int i = 0; i < count; i++) {
          for (SessionHandle publisher : publishers) {
            ApplicationMessage message = ApplicationMessage.of(publisher.clientId(), topic, PAYLOAD, qos, false);
            acks.add(publisher.publish(message, qos == 0 ? 0 : i % 65_535 + 1));
          }
        }
        return CompletableFuture.allOf(acks.toArray(new CompletableFuture[0]));
      }, loops[0]).thenCompose(all -> all);
      while (delivered.get() < target) {
        LockSupport.parkNanos(1_000);
      }
      join(acked);
    }
  }

  /** One publisher, one subscriber. */
  @State(Scope.Benchmark)
  public static class OneToOne {
    List<SessionHandle> publishers;

    @Setup(Level.Trial)
    public void connect(Fixture fixture) {
      SessionHandle subscriber = fixture.connect("sub", fixture.loops[1], true);
      fixture.subscribe(subscriber, "one/to/one", fixture.loops[1]);
      publishers = List.of(fixture.connect("pub", fixture.loops[0], false));
    }
  }

  /** One publisher, 1,000 subscribers of its topic. */
  @State(Scope.Benchmark)
  public static class FanOut {
    List<SessionHandle> publishers;

    @Setup(Level.Trial)
    public void connect(Fixture fixture) {
      for (int i = 0; i < 1_000; i++) {
        ExecutorService loop = fixture.loops[i % 2];
        SessionHandle subscriber = fixture.connect("fan-out-sub" + i, loop, true);
        fixture.subscribe(subscriber, "fan/out", loop);
      }
      publishers = List.of(fixture.connect("fan-out-pub", fixture.loops[0], false));
    }
  }

  /** 1,000 publishers, one subscriber of all their topics. */
  @State(Scope.Benchmark)
  public static class FanIn {
    List<SessionHandle> publishers = new ArrayList<>();

    @Setup(Level.Trial)
    public void connect(Fixture fixture) {
      SessionHandle subscriber = fixture.connect("fan-in-sub", fixture.loops[1], true);
      fixture.subscribe(subscriber, "fan/in", fixture.loops[1]);
      for (int i = 0; i < 1_000; i++) {
        publishers.add(fixture.connect("fan-in-pub" + i, fixture.loops[0], false));
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(DELIVERIES)
  public void oneToOne(Fixture fixture, OneToOne scenario) {
    fixture.run(scenario.publishers, DELIVERIES, "one/to/one");
  }

  @Benchmark
  @OperationsPerInvocation(DELIVERIES)
  public void fanOut1000(Fixture fixture, FanOut scenario) {
    fixture.run(scenario.publishers, DELIVERIES / 1_000, "fan/out");
  }

  @Benchmark
  @OperationsPerInvocation(DELIVERIES)
  public void fanIn1000(Fixture fixture, FanIn scenario) {
    fixture.run(scenario.publishers, DELIVERIES / 1_000, "fan/in");
  }

  static <T> T join(CompletableFuture<T> future) {
    return CountingSessions.join(future);
  }
}
