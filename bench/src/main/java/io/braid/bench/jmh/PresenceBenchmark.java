package io.braid.bench.jmh;

import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.BrokerOptions;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Presence in a room of {@value #MEMBERS} members watched by {@value #WATCHERS} presence subscribers, in process: the
 * cost of a member joining and leaving (a subscribe and an unsubscribe that make two events, each built as JSON and
 * delivered to every watcher), against its two parts: the same subscribe and unsubscribe on a topic nobody watches
 * with as many subscribers, and two plain publishes of the same size to as many subscribers; and the time a new watcher takes to receive the
 * snapshot of all members (in pages of 500).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PresenceBenchmark {

  static final int MEMBERS = 10_000;
  static final int WATCHERS = 10;
  private static final int BATCH = 100;

  @State(Scope.Benchmark)
  public static class Room {
    final ExecutorService loop = Executors.newSingleThreadExecutor();
    Broker broker;
    CountingSessions sessions;
    SessionHandle visitor;
    SessionHandle publisher;
    byte[] eventSizedPayload;
    int watcherCount;

    @Setup(Level.Trial)
    public void fill() {
      broker = Broker.builder().options(BrokerOptions.DEFAULTS.withMaxQueuedMessages(100_000))
          .presence(List.of(TopicFilter.parse("room/+"))).offlineExecutor(loop).build();
      sessions = new CountingSessions(broker);
      for (int i = 0; i < MEMBERS; i++) {
        SessionHandle member = sessions.connect("member-" + i, loop, false);
        run(() -> member.subscribe(TopicFilter.parse("room/1"), SubscriptionOptions.ofMaxQos(0)));
        // as many subscribers on a topic nobody watches: the subscription index costs the same there
        run(() -> member.subscribe(TopicFilter.parse("crowd/1"), SubscriptionOptions.ofMaxQos(0)));
      }
      for (int i = 0; i < WATCHERS; i++) {
        SessionHandle watcher = sessions.connect("watcher-" + i, loop, false);
        run(() -> watcher.subscribe(TopicFilter.parse("$presence/room/1"), SubscriptionOptions.ofMaxQos(0)));
        run(() -> watcher.subscribe(TopicFilter.parse("plain/1"), SubscriptionOptions.ofMaxQos(0)));
      }
      visitor = sessions.connect("visitor-with-a-name", loop, false);
      publisher = sessions.connect("publisher", loop, false);
      // a join event's size, so that the peer moves as many bytes
      eventSizedPayload = new byte[("{\"type\":\"join\",\"topic\":\"room/1\",\"member\":{\"clientId\":"
          + "\"visitor-with-a-name\"}}").length()];
    }

    @TearDown(Level.Trial)
    public void stop() {
      broker.close();
      loop.shutdownNow();
    }

    void run(Runnable action) {
      CountingSessions.join(CompletableFuture.runAsync(action, loop));
    }

    void awaitDeliveries(long target) {
      while (sessions.delivered.get() < target) {
        LockSupport.parkNanos(1_000);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void joinAndLeave(Room room) {
    long target = room.sessions.delivered.get() + 2L * WATCHERS * BATCH;
    room.run(() -> {
      for (int i = 0; i < BATCH; i++) {
        room.visitor.subscribe(TopicFilter.parse("room/1"), SubscriptionOptions.ofMaxQos(0));
        room.visitor.unsubscribe(TopicFilter.parse("room/1"));
      }
    });
    room.awaitDeliveries(target);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void subscribeAndUnsubscribeUnwatched(Room room) {
    room.run(() -> {
      for (int i = 0; i < BATCH; i++) {
        room.visitor.subscribe(TopicFilter.parse("crowd/1"), SubscriptionOptions.ofMaxQos(0));
        room.visitor.unsubscribe(TopicFilter.parse("crowd/1"));
      }
    });
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void twoPlainPublishes(Room room) {
    long target = room.sessions.delivered.get() + 2L * WATCHERS * BATCH;
    room.run(() -> {
      for (int i = 0; i < 2 * BATCH; i++) {
        room.publisher.publish(ApplicationMessage.of("publisher", "plain/1", room.eventSizedPayload, 0, false), 0);
      }
    });
    room.awaitDeliveries(target);
  }

  @Benchmark
  public void snapshotOfTenThousand(Room room) {
    SessionHandle watcher = room.sessions.connect("late-watcher", room.loop, false);
    long target = room.sessions.delivered.get() + (MEMBERS + 499) / 500;
    room.run(() -> watcher.subscribe(TopicFilter.parse("$presence/room/1"), SubscriptionOptions.ofMaxQos(0)));
    room.awaitDeliveries(target);
    room.run(() -> watcher.disconnect(false, -1));
  }
}
