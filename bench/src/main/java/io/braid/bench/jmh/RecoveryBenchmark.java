package io.braid.bench.jmh;

import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.BrokerOptions;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.history.HistoryRule;
import io.braid.pubsub.history.StartFrom;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recovery of {@value #MISSED} missed messages, in process, two ways: from the topic's history (a new clean session
 * subscribes starting with the last {@value #MISSED} messages) and, as the peer, from a persistent session's queue (the MQTT way:
 * the session was offline while they were published, and reconnects). One operation is the whole recovery, until the
 * last message is delivered. Setup prints the heap each way holds for the missed messages (live heap after a full
 * GC, before and after publishing them); {@code -prof gc} adds what a recovery allocates.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class RecoveryBenchmark {

  static final int MISSED = 100_000;
  private static final byte[] PAYLOAD = new byte[100];

  @State(Scope.Thread)
  public static class Missed {
    @Param({"history", "queue"})
    public String from;

    final ExecutorService loop = Executors.newSingleThreadExecutor();
    Broker broker;
    CountingSessions sessions;
    SessionHandle publisher;
    String epoch;

    @Setup(Level.Invocation)
    public void publishWhileAway() {
      broker = Broker.builder()
          .options(BrokerOptions.DEFAULTS.withMaxQueuedMessages(MISSED).withMaxInflight(1_000))
          .histories(from.equals("history") ? List.of(new HistoryRule(TopicFilter.parse("missed/#"), MISSED, 0))
              : List.of())
          .offlineExecutor(loop)
          .build();
      sessions = new CountingSessions(broker);
      if (from.equals("queue")) {
        SessionHandle away = sessions.connect("away", loop, true);
        run(() -> away.subscribe(TopicFilter.parse("missed/t"), SubscriptionOptions.ofMaxQos(1)));
        run(() -> away.disconnect(false, -1));
      }
      long before = liveHeap();
      publisher = sessions.connect("publisher", loop, false);
      CountingSessions.join(CompletableFuture.supplyAsync(() -> {
        CompletableFuture<?> last = null;
        for (int i = 0; i < MISSED; i++) {
          last = publisher.publish(ApplicationMessage.of("publisher", "missed/t", PAYLOAD, 1, false), i % 65_535 + 1);
        }
        return last;
      }, loop).thenCompose(last -> last));
      System.out.printf("%n%s: %,d bytes of live heap hold the %,d missed messages%n", from, liveHeap() - before,
          MISSED);
    }

    @TearDown(Level.Invocation)
    public void close() {
      broker.close();
      broker = null; // nothing of this invocation may count in the next one's live heap
      sessions = null;
      publisher = null;
    }

    @TearDown(Level.Trial)
    public void stop() {
      loop.shutdownNow();
    }

    private void run(Runnable action) {
      CountingSessions.join(CompletableFuture.runAsync(action, loop));
    }

    private static long liveHeap() {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }

  @Benchmark
  public long recover(Missed missed) {
    long target = missed.sessions.delivered.get() + MISSED;
    if (missed.from.equals("history")) {
      SessionHandle reader = missed.sessions.connect("reader", missed.loop, false);
      missed.run(() -> reader.subscribe(TopicFilter.parse("missed/t"), SubscriptionOptions.ofMaxQos(1),
          new StartFrom.Last(MISSED)));
    } else {
      SessionHandle back = missed.sessions.connect("away", missed.loop, true);
      missed.run(() -> back.subscribe(TopicFilter.parse("missed/t"), SubscriptionOptions.ofMaxQos(1)));
    }
    while (missed.sessions.delivered.get() < target) {
      LockSupport.parkNanos(10_000);
    }
    return missed.sessions.delivered.get();
  }
}
