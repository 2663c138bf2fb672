package io.braid.it;

import static io.braid.it.NumberedMessages.firstOccurrences;
import static io.braid.it.NumberedMessages.indices;
import static io.braid.it.NumberedMessages.missing;
import static io.braid.it.NumberedMessages.publishUntilStopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.ConnectionState;
import io.braid.client.ReceivedMessage;
import io.braid.client.ReconnectPolicy;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three clustered brokers in child JVMs: a persistent subscriber that knows nodes A and B, a publisher on node C
 * sending QoS 1 or 2 without pause. The subscriber's connection is closed again and again (admin API), and each
 * time it reconnects to the other node, which takes its session over from the live node that held it. Whatever the
 * publisher had acknowledged reaches the subscriber, in order (at QoS 2 once): no publish falls between the former
 * node's routes and the new node's, whether the next move waits for the former node's relay to end or not.
 */
class ClusterSessionMoveIT {

  private static final String TOKEN = "move-token";
  private static final int BATCH = 50;
  private static final int MOVES = 4;
  /** The session's queue limit: past it, messages are dropped by policy, which is not what this test is about. */
  private static final int MAX_QUEUED = 100_000;
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
      client.disconnect().await(10, TimeUnit.SECONDS);
    }
    for (ChildBroker node : nodes) {
      node.close();
    }
  }

  private void startCluster() throws Exception {
    nodes.addAll(TestClusters.start(TestClusters.freePorts(3), List.of("--memory",
        "--set", "sessions.maxQueuedMessages=" + MAX_QUEUED, "--set", "admin.apiToken=" + TOKEN)));
  }

  private BraidClient client(BraidClientOptions options, ChildBroker... order) throws Exception {
    List<String> uris = new ArrayList<>();
    for (ChildBroker node : order) {
      uris.add("ws://" + TestServers.HOST + ":" + node.port() + "/braid");
    }
    BraidClient client = BraidClient.create(vertx, options.uris(uris.toArray(String[]::new))
        .reconnect(new ReconnectPolicy(50, 500, 0)));
    clients.add(client);
    client.connect().await(10, TimeUnit.SECONDS);
    return client;
  }

  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {1, 2})
  void aSessionMovingBetweenLiveNodesMissesNoAcknowledgedMessage(int qos) throws Exception {
    movesAndChecks(qos, true);
  }

  /**
   * Each move comes while the node the session left last still relays for it: the node holding it hands it on only
   * once that relay ended, with every copy the relay and the other nodes brought meanwhile.
   */
  @ParameterizedTest(name = "QoS {0}")
  @ValueSource(ints = {1, 2})
  void aSessionMovingAgainWhileItsFormerNodeStillRelaysMissesNoAcknowledgedMessage(int qos) throws Exception {
    movesAndChecks(qos, false);
  }

  /** Moves the subscriber's session {@link #MOVES} times under load, pausing past each relay or not. */
  private void movesAndChecks(int qos, boolean pauseForTheRelay) throws Exception {
    startCluster();
    ChildBroker a = nodes.get(0);
    ChildBroker b = nodes.get(1);
    ChildBroker c = nodes.get(2);
    String clientId = "mover-" + qos + (pauseForTheRelay ? "" : "-again");
    BraidClient subscriber = client(new BraidClientOptions().clientId(clientId).persistentSession(3_600), a, b);
    Queue<String> received = new ConcurrentLinkedQueue<>();
    Queue<String> receipts = new ConcurrentLinkedQueue<>(); // how each came: for the report of a duplicate
    AtomicInteger arrivals = new AtomicInteger();
    subscriber.subscribe("move/#", qos, (ReceivedMessage message) -> {
      receipts.add(message.payload() + " #" + arrivals.getAndIncrement() + " dup=" + message.dup() + " via "
          + (subscriber.state() instanceof ConnectionState.Connected connected ? connected.uri().getPort() : "-"));
      received.add(message.payload().toString());
    })
        .await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> c.metric("braid_cluster_routes") == 1);
    // persistent too: QoS 2 is exactly once for a publisher whose session survives a reconnect (PROTOCOL.md 8.4)
    BraidClient publisher = client(new BraidClientOptions().clientId("move-publisher-" + clientId)
        .persistentSession(3_600), c);

    List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    // the subscriber is away most of the time while moves follow each other at once, and a fast machine publishes
    // well past the queue limit meanwhile (CI once sent 111,800): the publisher waits for the subscriber past half
    CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> publishUntilStopped(publisher, "move/x",
        qos, BATCH, publishing, acknowledged, () -> acknowledged.size() - arrivals.get(), MAX_QUEUED / 2));
    ChildBroker holder = a;
    for (int move = 0; move < MOVES; move++) {
      int before = acknowledged.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() > before + 4 * BATCH);
      ChildBroker next = holder == a ? b : a;
      holder.disconnect(clientId, TOKEN);
      await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.state() instanceof ConnectionState.Connected
          connected && connected.uri().getPort() == next.port() && connected.sessionPresent());
      holder = next;
      // the former node relays for a few seconds; the next move comes after that, or at once
      int moved = acknowledged.size();
      await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(pauseForTheRelay ? 6 : 0))
          .until(() -> acknowledged.size() > moved + BATCH);
    }
    publishing.set(false);
    int sent = load.get(60, TimeUnit.SECONDS);

    for (ChildBroker node : nodes) {
      assertThat(node.metric("braid_messages_dropped_total{policy=\"drop-newest\",reason=\"queue_full\"}"))
          .as("messages dropped at the queue limit on node %d (this test must stay below it)", node.port())
          .isZero();
    }
    // the missing runs, not containsAll: AssertJ looks each element up by a scan, too slow for 100,000 messages
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(missing(acknowledged, indices(received)))
        .as("%d sent, %d acknowledged, %d received, missing", sent, acknowledged.size(), received.size())
        .isEqualTo("none"));
    assertThat(firstOccurrences(received)).as("in the order published").isSorted();
    if (qos == 2) {
      assertThat(received).as("each exactly once; the receipts of those twice: %s", receiptsOfDuplicates(receipts))
          .doesNotHaveDuplicates();
    }
  }

  /** The receipts ("m12 #40 dup=false via 41234") of the payloads received more than once, in arrival order. */
  private static List<String> receiptsOfDuplicates(Queue<String> receipts) {
    Map<String, Long> counts = receipts.stream().collect(Collectors.groupingBy(r -> r.substring(0, r.indexOf(' ')),
        Collectors.counting()));
    return receipts.stream().filter(r -> counts.get(r.substring(0, r.indexOf(' '))) > 1).toList();
  }
}
