package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.MessageProperties;
import io.braid.client.ReceivedMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three brokers in child JVMs joined in a cluster on loopback, with SDK clients that know all three: a publish is
 * forwarded only to the nodes with matching subscribers, once per node, whatever their number there; a shared group
 * with members on two nodes gets each message once; a retained message is served by every node; a node killed with
 * {@code kill -9} leaves the others' route tables.
 */
class ClusterRoutingIT {

  private static final int MESSAGES = 200;
  private static final List<ChildBroker> nodes = new ArrayList<>();
  private static final List<Integer> clusterPorts = new ArrayList<>();
  private static Vertx vertx;
  private final List<BraidClient> clients = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    vertx = Vertx.vertx();
    clusterPorts.addAll(TestClusters.freePorts(3));
    nodes.addAll(TestClusters.start(clusterPorts, List.of("--memory")));
  }

  private static ChildBroker startNode(int clusterPort) {
    return TestClusters.startNode(clusterPort, clusterPorts, List.of("--memory"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (ChildBroker node : nodes) {
      node.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Every test's clients have clean sessions: once they are gone, no node has a route left. */
  @AfterEach
  void disconnect() throws Exception {
    for (BraidClient client : clients) {
      client.disconnect().await(10, TimeUnit.SECONDS);
    }
    for (ChildBroker node : nodes) {
      awaitRoutes(node, 0);
    }
  }

  private static ChildBroker a() {
    return nodes.get(0);
  }

  private static ChildBroker b() {
    return nodes.get(1);
  }

  private static ChildBroker c() {
    return nodes.get(2);
  }

  /** A client that connects to {@code first} and knows the other two nodes. */
  private BraidClient client(String clientId, ChildBroker first) throws Exception {
    List<String> uris = new ArrayList<>();
    int start = nodes.indexOf(first);
    for (int i = 0; i < nodes.size(); i++) {
      uris.add("ws://" + TestServers.HOST + ":" + nodes.get((start + i) % nodes.size()).port() + "/braid");
    }
    BraidClient client = BraidClient.create(vertx, new BraidClientOptions().uris(uris.toArray(String[]::new))
        .clientId(clientId));
    client.connect().await(10, TimeUnit.SECONDS);
    clients.add(client);
    return client;
  }

  private static List<String> subscribe(BraidClient client, String filter) throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    client.subscribe(filter, 1, (ReceivedMessage message) -> received.add(message.payload().toString()))
        .await(10, TimeUnit.SECONDS);
    return received;
  }

  /** Waits until {@code node} knows exactly {@code routes} routes of the other nodes. */
  private static void awaitRoutes(ChildBroker node, double routes) {
    await().atMost(Duration.ofSeconds(30)).until(() -> node.metric("braid_cluster_routes") == routes);
  }

  private static List<String> publish(BraidClient publisher, String topic, int count) throws Exception {
    List<Future<Void>> acks = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(topic + "#" + i);
      acks.add(publisher.publish(topic, Buffer.buffer(topic + "#" + i), 1));
    }
    Future.all(acks).await(30, TimeUnit.SECONDS);
    return sent;
  }

  @Test
  void aPublishReachesSubscribersOnTheOtherNodesOnceEachInOrder() throws Exception {
    double forwarded = a().metric("braid_cluster_forwarded_total");
    List<String> onB = subscribe(client("fan-b", b()), "fan/#");
    List<String> onBToo = subscribe(client("fan-b2", b()), "fan/+");
    List<String> onC = subscribe(client("fan-c", c()), "fan/#");
    awaitRoutes(a(), 3);

    List<String> sent = publish(client("fan-publisher", a()), "fan/out", MESSAGES);

    await().atMost(Duration.ofSeconds(30)).until(() -> onB.size() >= MESSAGES && onBToo.size() >= MESSAGES
        && onC.size() >= MESSAGES);
    assertThat(onB).isEqualTo(sent);
    assertThat(onBToo).isEqualTo(sent);
    assertThat(onC).isEqualTo(sent);
    // two subscribers on B cost one copy to B
    assertThat(a().metric("braid_cluster_forwarded_total") - forwarded).isEqualTo(2.0 * MESSAGES);
  }

  @Test
  void nothingIsForwardedToANodeWithoutSubscribers() throws Exception {
    double receivedByB = b().metric("braid_cluster_received_total");
    double receivedByC = c().metric("braid_cluster_received_total");
    List<String> onB = subscribe(client("only-b", b()), "sensors/#");
    awaitRoutes(a(), 1);

    List<String> sent = publish(client("sensor", a()), "sensors/kitchen", MESSAGES);
    publish(client("sensor-elsewhere", a()), "nobody/listens", MESSAGES);

    await().atMost(Duration.ofSeconds(30)).until(() -> onB.size() >= MESSAGES);
    assertThat(onB).isEqualTo(sent);
    assertThat(b().metric("braid_cluster_received_total") - receivedByB).isEqualTo(MESSAGES);
    assertThat(c().metric("braid_cluster_received_total") - receivedByC).isZero();
  }

  @Test
  void aSharedGroupWithMembersOnTwoNodesGetsEachMessageOnce() throws Exception {
    List<String> onB = subscribe(client("worker-b", b()), "$share/workers/jobs/#");
    List<String> onC = subscribe(client("worker-c", c()), "$share/workers/jobs/#");
    awaitRoutes(a(), 2);

    List<String> sent = publish(client("dispatcher", a()), "jobs/new", MESSAGES);

    await().atMost(Duration.ofSeconds(30)).until(() -> onB.size() + onC.size() >= MESSAGES);
    List<String> all = new ArrayList<>(onB);
    all.addAll(onC);
    assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(onB).as("each node serves some").isNotEmpty();
    assertThat(onC).as("each node serves some").isNotEmpty();
  }

  @Test
  void aRetainedMessageIsServedByEveryNode() throws Exception {
    double retainedOnC = c().metric("braid_retained_messages");
    client("door", a()).publish("status/door", Buffer.buffer("open"), 1, true, MessageProperties.NONE).await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> c().metric("braid_retained_messages") == retainedOnC + 1);

    List<String> onC = subscribe(client("late-c", c()), "status/+");

    await().atMost(Duration.ofSeconds(10)).until(() -> !onC.isEmpty());
    assertThat(onC).containsExactly("open");
  }

  @Test
  void aNodeThatJoinsLaterServesTheRetainedMessagesPublishedBefore() throws Exception {
    client("before", a()).publish("config/mode", Buffer.buffer("eco"), 1, true, MessageProperties.NONE)
        .await(10, TimeUnit.SECONDS);
    clusterPorts.add(TestClusters.freePort());
    try (ChildBroker d = startNode(clusterPorts.get(3))) {
      double retained = a().metric("braid_retained_messages");
      await().atMost(Duration.ofSeconds(30)).until(() -> d.metric("braid_retained_messages") == retained);
      BraidClient onD = BraidClient.create(vertx, new BraidClientOptions()
          .uris("ws://" + TestServers.HOST + ":" + d.port() + "/braid").clientId("late-d"));
      onD.connect().await(10, TimeUnit.SECONDS);
      clients.add(onD);

      List<String> received = subscribe(onD, "config/+");

      await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
      assertThat(received).containsExactly("eco");
      onD.disconnect().await(10, TimeUnit.SECONDS);
      clients.remove(onD);
    } finally {
      clusterPorts.remove(3);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> a().metric("braid_cluster_nodes") == 3);
  }

  @Test
  void theRoutesOfAKilledNodeAreDropped() throws Exception {
    clusterPorts.add(TestClusters.freePort());
    try (ChildBroker d = startNode(clusterPorts.get(3))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> a().metric("braid_cluster_nodes") == 4);
      BraidClient onD = BraidClient.create(vertx, new BraidClientOptions()
          .uris("ws://" + TestServers.HOST + ":" + d.port() + "/braid").clientId("on-d"));
      onD.connect().await(10, TimeUnit.SECONDS);
      clients.add(onD);
      subscribe(onD, "d/#");
      awaitRoutes(a(), 1);

      d.kill9();

      await().atMost(Duration.ofSeconds(30)).until(() -> a().metric("braid_cluster_nodes") == 3);
      awaitRoutes(a(), 0);
    } finally {
      clusterPorts.remove(3);
    }
  }
}
