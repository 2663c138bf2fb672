package io.braid.it;

import static io.braid.it.NumberedMessages.firstOccurrences;
import static io.braid.it.NumberedMessages.indices;
import static io.braid.it.NumberedMessages.missing;
import static io.braid.it.NumberedMessages.publishUntilStopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.ReceivedMessage;
import io.braid.client.ReconnectPolicy;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three clustered brokers in child JVMs, each on its own data directory, restarted one after the other (SIGTERM,
 * then started again on the same directory) while a publisher sends QoS 1 messages to a persistent subscriber: the
 * subscriber, whose session moves from node to node, gets every message whose publish was acknowledged, in order.
 */
class ClusterRollingRestartIT {

  private static final int BATCH = 50;

  @TempDir
  Path dataDirectories;
  private final Vertx vertx = Vertx.vertx();
  private final List<Integer> clusterPorts = new ArrayList<>();
  /** Each node's WebSocket port, the same after a restart: the clients know these. */
  private final List<Integer> ports = new ArrayList<>();
  private final List<ChildBroker> nodes = new ArrayList<>();
  private final List<BraidClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (BraidClient client : clients) {
      try {
        client.disconnect().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // its node may be gone
      }
    }
    for (ChildBroker node : nodes) {
      node.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private ChildBroker startNode(int index) {
    List<String> args = new ArrayList<>(List.of("--data-dir", dataDirectories.resolve("node" + index).toString(),
        "--set", "sessions.maxQueuedMessages=100000", "--port", String.valueOf(ports.get(index))));
    args.addAll(TestClusters.nodeArgs(clusterPorts.get(index), clusterPorts));
    try {
      return ChildBroker.start(args.toArray(String[]::new));
    } catch (Exception e) {
      throw new IllegalStateException("cluster node did not start", e);
    }
  }

  private BraidClient client(BraidClientOptions options) throws Exception {
    List<String> uris = new ArrayList<>();
    for (ChildBroker node : nodes) {
      uris.add("ws://" + TestServers.HOST + ":" + node.port() + "/braid");
    }
    BraidClient client = BraidClient.create(vertx, options.uris(uris.toArray(String[]::new))
        .reconnect(new ReconnectPolicy(100, 1_000, 0)));
    clients.add(client);
    client.connect().await(10, TimeUnit.SECONDS);
    return client;
  }

  private void awaitNodes(ChildBroker node, int count) {
    await().atMost(Duration.ofSeconds(90)).until(() -> node.metric("braid_cluster_nodes") == count);
  }

  @Test
  void noAcknowledgedMessageIsLostWhileEveryNodeIsRestartedInTurn() throws Exception {
    List<CompletableFuture<ChildBroker>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clusterPorts.add(TestClusters.freePort());
      ports.add(TestClusters.freePort());
    }
    for (int i = 0; i < 3; i++) {
      int index = i;
      starting.add(CompletableFuture.supplyAsync(() -> startNode(index)));
    }
    for (CompletableFuture<ChildBroker> node : starting) {
      nodes.add(node.get(120, TimeUnit.SECONDS));
    }
    awaitNodes(nodes.get(0), 3);
    BraidClient subscriber = client(new BraidClientOptions().clientId("rolling").persistentSession(3_600));
    Queue<String> received = new ConcurrentLinkedQueue<>();
    subscriber.subscribe("rolling/#", 1, (ReceivedMessage message) -> received.add(message.payload().toString()))
        .await(10, TimeUnit.SECONDS);
    BraidClient publisher = client(new BraidClientOptions().clientId("rolling-publisher"));
    await().atMost(Duration.ofSeconds(30)).until(() -> nodes.get(1).metric("braid_cluster_routes") == 1
        || nodes.get(1).metric("braid_sessions") > 0);

    List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> publishUntilStopped(publisher,
        "rolling/x", 1, BATCH, publishing, acknowledged));
    for (int i = 0; i < 3; i++) {
      int before = acknowledged.size();
      await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() > before + 2 * BATCH);
      nodes.get(i).stop();
      nodes.set(i, startNode(i));
      awaitNodes(nodes.get(i), 3);
    }
    int afterLast = acknowledged.size();
    await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() > afterLast + 2 * BATCH);
    publishing.set(false);
    int sent = load.get(120, TimeUnit.SECONDS);

    // the missing runs, not containsAll: AssertJ looks each element up by a scan, slow for 100,000 messages
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(missing(acknowledged, indices(received)))
        .as("%d sent, %d acknowledged, %d received, missing", sent, acknowledged.size(), received.size())
        .isEqualTo("none"));
    assertThat(firstOccurrences(received)).as("in the order published").isSorted();
  }
}
