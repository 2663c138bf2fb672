package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.BraidException;
import io.braid.client.ConnectionState;
import io.braid.client.ReconnectPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK under QoS 1 and QoS 2 load while a {@link FaultyProxy} cuts, stalls and slows its connections and the
 * broker behind it is killed ({@code kill -9}) and started again on its data directory: at QoS 1 nothing is lost, at
 * QoS 2 nothing is lost or delivered twice, and each topic keeps its order.
 */
class SdkChaosIT {

  private static final int MIN_PER_TOPIC = 1_000;
  private static final List<String> QOS1_TOPICS = List.of("chaos/1/a", "chaos/1/b");
  private static final List<String> QOS2_TOPICS = List.of("chaos/2/a", "chaos/2/b");
  /** Publishes awaiting their acknowledgement at once. */
  private static final int WINDOW = 64;
  /** Short, so that a stalled connection is noticed within the test: the client gives up after 3 s of silence. */
  private static final int KEEP_ALIVE_SECONDS = 2;

  /** What the chaos thread does between two pauses. */
  private enum Fault {
    /** Every connection through the proxy closed, as by a network failure. */
    CUT,
    /** Every connection through the proxy hangs; only the client's keep-alive can tell. */
    STALL,
    /** Each chunk through the proxy waits 20 ms, until the next fault. */
    SLOW,
    /** The broker killed with SIGKILL and started again on its data directory. */
    KILL
  }

  @TempDir
  Path dataDirectory;
  private Vertx vertx;
  private ChildBroker broker;
  private FaultyProxy proxy;
  private BraidClient subscriber;
  private BraidClient publisher;
  private final List<ConnectionState> subscriberStates = new CopyOnWriteArrayList<>();
  private final List<ConnectionState> publisherStates = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    broker = startBroker();
    proxy = FaultyProxy.start(vertx, broker.port());
  }

  @AfterEach
  void stop() throws Exception {
    for (BraidClient client : new BraidClient[] {subscriber, publisher}) {
      if (client != null) {
        client.disconnect().await(10, TimeUnit.SECONDS);
      }
    }
    proxy.close();
    broker.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void cutsStallsAndSlowLinksLoseNothingAndDeliverNoQos2MessageTwice() throws Exception {
    runUnder(Fault.CUT, Fault.SLOW, Fault.CUT, Fault.STALL, Fault.CUT, Fault.SLOW, Fault.CUT, Fault.CUT);

    assertThat(subscriberStates).as("the stall was noticed by the keep-alive").anySatisfy(state ->
        assertThat(state).isInstanceOfSatisfying(ConnectionState.Reconnecting.class,
            reconnecting -> assertThat(reconnecting.cause()).isInstanceOf(BraidException.Timeout.class)));
  }

  @Test
  void brokerKillsAmongCutsLoseNothingAndDeliverNoQos2MessageTwice() throws Exception {
    runUnder(Fault.CUT, Fault.KILL, Fault.CUT, Fault.KILL, Fault.SLOW, Fault.KILL, Fault.CUT, Fault.KILL);
  }

  private void runUnder(Fault... faults) throws Exception {
    TopicLog received = new TopicLog();
    subscriber = client("chaos-subscriber", subscriberStates);
    subscriber.connect().await(20, TimeUnit.SECONDS);
    subscriber.subscribe("chaos/#", 2, message -> received.add(message.topic(),
        Integer.parseInt(message.payload().toString()))).await(20, TimeUnit.SECONDS);
    publisher = client("chaos-publisher", publisherStates);
    publisher.connect().await(20, TimeUnit.SECONDS);

    Thread chaos = new Thread(() -> makeChaos(faults), "chaos");
    chaos.start();
    int published = publishWhile(chaos);

    List<String> topics = List.of(QOS1_TOPICS.get(0), QOS1_TOPICS.get(1), QOS2_TOPICS.get(0), QOS2_TOPICS.get(1));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> topics.stream()
          .allMatch(topic -> received.distinct(topic) == published));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("not everything was delivered; missing: " + received.missing(topics, published)
          + "; the subscriber's states: " + subscriberStates, e);
    }
    for (String topic : QOS1_TOPICS) {
      received.assertAtLeastOnceInOrder(topic, published);
    }
    for (String topic : QOS2_TOPICS) {
      received.assertAtMostOnceInOrder(topic, published, 0);
    }
    // every cut and kill fell on connected clients (makeChaos waits for them), so each ended one connection
    long ending = List.of(faults).stream().filter(fault -> fault == Fault.CUT || fault == Fault.KILL).count();
    assertThat(subscriberStates.stream().filter(ConnectionState.Connected.class::isInstance).count())
        .as("the subscriber's connections: one, and one more after every cut and kill")
        .isGreaterThanOrEqualTo(1 + ending);
  }

  private ChildBroker startBroker() throws Exception {
    return ChildBroker.start("--data-dir", dataDirectory.toString(), "--set", "limits.publishRatePerClient=0");
  }

  private BraidClient client(String clientId, List<ConnectionState> states) {
    return BraidClient.create(vertx, new BraidClientOptions()
        .uris("ws://" + TestServers.HOST + ":" + proxy.port() + "/braid").clientId(clientId).persistentSession(600)
        .keepAliveSeconds(KEEP_ALIVE_SECONDS).reconnect(new ReconnectPolicy(20, 500, 0))).stateHandler(states::add);
  }

  /**
   * Sequence numbers 1, 2, ... on every topic until the chaos is over (at least {@link #MIN_PER_TOPIC}), paced (about
   * 500 per topic per second) so that the faults fall among them, at most {@link #WINDOW} unacknowledged; each must be
   * acknowledged. Returns how many went to each topic.
   */
  private int publishWhile(Thread chaos) throws Exception {
    ArrayDeque<Future<Void>> outstanding = new ArrayDeque<>();
    int sequence = 0;
    while (sequence < MIN_PER_TOPIC || chaos.isAlive()) {
      sequence++;
      for (String topic : QOS1_TOPICS) {
        outstanding.add(publisher.publish(topic, Buffer.buffer(Integer.toString(sequence)), 1));
      }
      for (String topic : QOS2_TOPICS) {
        outstanding.add(publisher.publish(topic, Buffer.buffer(Integer.toString(sequence)), 2));
      }
      while (outstanding.size() > WINDOW) {
        outstanding.poll().await(60, TimeUnit.SECONDS);
      }
      Thread.sleep(2); // the pace of the load, not a wait for an outcome
    }
    while (!outstanding.isEmpty()) {
      outstanding.poll().await(60, TimeUnit.SECONDS);
    }
    return sequence;
  }

  /**
   * Waits until both clients have reconnected since the fault just made (their states numbered {@code *Before}
   * when it was made), so that the next one falls on live connections rather than on a reconnection in progress
   * (a broker restart, or a keep-alive noticing a stall, takes longer than the faults' pace).
   */
  private void awaitReconnected(int subscriberBefore, int publisherBefore) {
    await().atMost(Duration.ofSeconds(30)).until(() -> reconnected(subscriberStates, subscriberBefore)
        && reconnected(publisherStates, publisherBefore));
  }

  /** The client's newest state is Connected; if nothing changed since {@code before}, the fault has yet to show. */
  private static boolean reconnected(List<ConnectionState> states, int before) {
    return states.size() > before && states.get(states.size() - 1) instanceof ConnectionState.Connected;
  }

  private void makeChaos(Fault... faults) {
    try {
      for (Fault fault : faults) {
        Thread.sleep(400); // the pace of the faults, not a wait for an outcome
        proxy.slow(0);
        int subscriberBefore = subscriberStates.size();
        int publisherBefore = publisherStates.size();
        switch (fault) {
          case CUT -> {
            proxy.cutAll();
            awaitReconnected(subscriberBefore, publisherBefore);
          }
          case STALL -> {
            proxy.stall();
            awaitReconnected(subscriberBefore, publisherBefore); // the keep-alive (1.5 x 2 s) noticed the hang
          }
          case SLOW -> proxy.slow(20);
          case KILL -> {
            broker.kill9();
            broker = startBroker();
            proxy.target(broker.port());
            awaitReconnected(subscriberBefore, publisherBefore);
          }
        }
      }
      proxy.slow(0);
    } catch (Exception e) {
      throw new AssertionError("the chaos thread failed", e);
    }
  }
}
