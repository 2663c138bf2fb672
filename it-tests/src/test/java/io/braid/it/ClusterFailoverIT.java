package io.braid.it;

import static io.braid.it.NumberedMessages.firstOccurrences;
import static io.braid.it.NumberedMessages.indices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidException;
import io.braid.client.BraidClientOptions;
import io.braid.client.ConnectionState;
import io.braid.client.ReceivedMessage;
import io.braid.client.ReconnectPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three clustered brokers in child JVMs on in-memory stores, so that nothing but the replica on another node can
 * save a session: a persistent subscriber on node A and a publisher on node B, SDK clients that know all three
 * nodes. A is killed with {@code kill -9} at a random moment of the publisher's QoS 1 or QoS 2 load; the subscriber
 * fails over to another node, resumes its session there, and gets every message whose publish was acknowledged, in
 * the order published (at QoS 2 each exactly once).
 */
class ClusterFailoverIT {

  private static final int MESSAGES = 3_000;
  private static final int BATCH = 100;
  private static Vertx vertx;
  private final List<ChildBroker> nodes = new ArrayList<>();
  private final List<BraidClient> clients = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    for (BraidClient client : clients) {
      try {
        client.disconnect().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // its node may be the one killed
      }
    }
    for (ChildBroker node : nodes) {
      node.close();
    }
  }

  private void startCluster(String... extraArgs) throws Exception {
    // queues hold what the load sends while the subscriber is away: none is dropped for a full queue
    List<String> args = new ArrayList<>(List.of("--memory", "--set", "sessions.maxQueuedMessages=100000"));
    args.addAll(List.of(extraArgs));
    nodes.addAll(TestClusters.start(TestClusters.freePorts(3), args));
  }

  private BraidClient client(BraidClientOptions options, ChildBroker... order) throws Exception {
    List<String> uris = new ArrayList<>();
    for (ChildBroker node : order) {
      uris.add("ws://" + TestServers.HOST + ":" + node.port() + "/braid");
    }
    BraidClient client = BraidClient.create(vertx, options.uris(uris.toArray(String[]::new))
        .reconnect(new ReconnectPolicy(100, 1_000, 0)));
    clients.add(client);
    client.connect().await(10, TimeUnit.SECONDS);
    return client;
  }

  private static double replicaSessions(ChildBroker node) throws Exception {
    return node.metric("braid_cluster_replica_sessions");
  }

  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {1, 2})
  void everyAcknowledgedMessageReachesTheSubscriberAfterAKill9OfItsNode(int qos) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    startCluster();
    ChildBroker a = nodes.get(0);
    ChildBroker b = nodes.get(1);
    ChildBroker c = nodes.get(2);
    BraidClient subscriber = client(new BraidClientOptions().clientId("failover-" + qos).persistentSession(3_600),
        a, b, c);
    Queue<String> received = new ConcurrentLinkedQueue<>();
    subscriber.subscribe("load/#", qos, (ReceivedMessage message) -> received.add(message.payload().toString()))
        .await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> b.metric("braid_cluster_routes") == 1
        && replicaSessions(b) + replicaSessions(c) == 1);
    BraidClient publisher = client(new BraidClientOptions().clientId("publisher-" + qos), b, c);

    int killAfter = 200 + random.nextInt(MESSAGES - 1_000);
    List<Integer> acknowledged = publishKillingAfter(publisher, qos, a, killAfter);

    assertThat(acknowledged.size()).as("seed %d: the load went on after the kill", seed)
        .isGreaterThan(killAfter + BATCH);
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(indices(received))
        .as("seed %d: killed after %d acknowledged; %d acknowledged, %d received", seed, killAfter,
            acknowledged.size(), received.size())
        .containsAll(acknowledged));
    List<Integer> firsts = firstOccurrences(received);
    assertThat(firsts).as("seed %d: in the order published", seed).isSorted();
    if (qos == 2) {
      assertThat(received).as("seed %d: each exactly once", seed).doesNotHaveDuplicates();
    }
  }

  @Test
  void aClientRefusedWhileItsSessionMovesTriesTheSameNodeAgain() throws Exception {
    // no wait for a moving session: the client is refused (0x89) whenever it comes before its session, however fast
    // the move
    startCluster("--set", "cluster.sessionMoveWaitMillis=0");
    ChildBroker a = nodes.get(0);
    BraidClientOptions options = new BraidClientOptions().clientId("sticky").persistentSession(3_600);
    BraidClient first = client(options, a);
    first.subscribe("sticky/#", 1, (ReceivedMessage message) -> { }).await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> replicaSessions(nodes.get(1)) + replicaSessions(nodes.get(2))
        == 1);
    ChildBroker heir = replicaSessions(nodes.get(1)) == 1 ? nodes.get(1) : nodes.get(2);
    ChildBroker other = heir == nodes.get(1) ? nodes.get(2) : nodes.get(1);
    first.disconnect().await(10, TimeUnit.SECONDS);
    // after A the client tries the node that does not keep A's replica, then the heir
    BraidClient sticky = client(options, a, other, heir);
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    sticky.stateHandler(states::add);

    a.kill9();

    await().atMost(Duration.ofSeconds(60)).until(() -> sticky.state() instanceof ConnectionState.Connected);
    URI otherUri = URI.create("ws://" + TestServers.HOST + ":" + other.port() + "/braid");
    assertThat(states).as("refused for now (0x89) at least once: the session was on its way")
        .anySatisfy(state -> assertThat(state).isInstanceOfSatisfying(ConnectionState.Reconnecting.class,
            reconnecting -> assertThat(reconnecting.cause()).isInstanceOfSatisfying(BraidException.Refused.class,
                refused -> assertThat(refused.reasonCode()).isEqualTo(0x89))));
    assertThat(states.stream().filter(ConnectionState.Connecting.class::isInstance)
        .map(state -> ((ConnectionState.Connecting) state).uri()).distinct())
        .as("never the heir, nor A again").containsExactly(otherUri);
    assertThat(sticky.state()).isEqualTo(new ConnectionState.Connected(otherUri, true));
  }

  /** Publishes {@link #MESSAGES}, a batch at a time; kills {@code victim} once {@code killAfter} were acknowledged. */
  private static List<Integer> publishKillingAfter(BraidClient publisher, int qos, ChildBroker victim,
      int killAfter) throws Exception {
    List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    AtomicInteger count = new AtomicInteger();
    CompletableFuture<Void> killed = new CompletableFuture<>();
    for (int start = 0; start < MESSAGES; start += BATCH) {
      List<Future<Void>> batch = new ArrayList<>();
      for (int i = start; i < start + BATCH; i++) {
        int index = i;
        batch.add(publisher.publish("load/x", Buffer.buffer("m" + i), qos).onSuccess(done -> {
          acknowledged.add(index);
          if (count.incrementAndGet() == killAfter) {
            CompletableFuture.runAsync(() -> {
              try {
                victim.kill9();
                killed.complete(null);
              } catch (InterruptedException e) {
                killed.completeExceptionally(e);
              }
            });
          }
        }));
      }
      // refusals (0x80: the subscriber's node went before it took the message) are not acknowledgements
      Future.join(batch).transform(all -> Future.succeededFuture()).await(60, TimeUnit.SECONDS);
    }
    killed.get(30, TimeUnit.SECONDS);
    return acknowledged;
  }
}
