package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two clustered brokers in child JVMs whose cluster ports are reached through proxies that can be cut: the
 * partition behaviour OPERATIONS.md documents. While partitioned each side takes the other for gone, routes only to
 * its own subscribers and keeps serving its own; once healed, Hazelcast merges the sides (giving one side's members
 * new identities) and routing across them resumes.
 */
class ClusterPartitionIT {

  private final Vertx vertx = Vertx.vertx();
  private final List<ChildBroker> nodes = new ArrayList<>();
  private final List<FaultyProxy> proxies = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<BraidClient> clients = new ArrayList<>();

  @BeforeEach
  void startBehindProxies() throws Exception {
    for (int i = 0; i < 2; i++) {
      clusterPorts.add(TestClusters.freePort());
      proxies.add(FaultyProxy.start(vertx, clusterPorts.get(i)));
    }
    List<Integer> members = proxies.stream().map(FaultyProxy::port).toList();
    for (int i = 0; i < 2; i++) {
      List<String> args = new ArrayList<>(List.of("--memory"));
      args.addAll(TestClusters.nodeArgs(clusterPorts.get(i), members));
      args.addAll(List.of("--set", "cluster.publicAddress=" + TestServers.HOST + ":" + proxies.get(i).port()));
      nodes.add(ChildBroker.start(args.toArray(String[]::new)));
    }
    awaitNodes(2);
  }

  @AfterEach
  void stop() throws Exception {
    for (BraidClient client : clients) {
      client.disconnect().await(10, TimeUnit.SECONDS);
    }
    for (ChildBroker node : nodes) {
      node.close();
    }
    for (FaultyProxy proxy : proxies) {
      proxy.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void awaitNodes(int count) {
    for (ChildBroker node : nodes) {
      await().atMost(Duration.ofSeconds(90)).until(() -> node.metric("braid_cluster_nodes") == count);
    }
  }

  private BraidClient client(String clientId, ChildBroker node) throws Exception {
    BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
        .uris("ws://" + TestServers.HOST + ":" + node.port() + "/braid").clientId(clientId));
    client.connect().await(10, TimeUnit.SECONDS);
    clients.add(client);
    return client;
  }

  private void partition() throws Exception {
    int nowhere = TestClusters.freePort();
    for (FaultyProxy proxy : proxies) {
      proxy.target(nowhere);
      proxy.cutAll();
    }
  }

  private void heal() {
    for (int i = 0; i < proxies.size(); i++) {
      proxies.get(i).target(clusterPorts.get(i));
    }
  }

  @Test
  void eachSideRoutesOnlyToItsOwnSubscribersWhilePartitionedAndAcrossOnceHealed() throws Exception {
    ChildBroker a = nodes.get(0);
    ChildBroker b = nodes.get(1);
    List<String> onB = new CopyOnWriteArrayList<>();
    client("subscriber-b", b).subscribe("part/#", 1, message -> onB.add(message.payload().toString()))
        .await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> a.metric("braid_cluster_routes") == 1);
    BraidClient publisher = client("publisher-a", a);
    publisher.publish("part/before", Buffer.buffer("before"), 1).await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> onB.contains("before"));

    partition();
    awaitNodes(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> a.metric("braid_cluster_routes") == 0);
    List<String> onA = new CopyOnWriteArrayList<>();
    client("subscriber-a", a).subscribe("part/#", 1, message -> onA.add(message.payload().toString()))
        .await(10, TimeUnit.SECONDS);
    publisher.publish("part/during", Buffer.buffer("during"), 1).await(10, TimeUnit.SECONDS);
    client("publisher-b", b).publish("part/during-b", Buffer.buffer("during-b"), 1).await(10, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> onA.contains("during") && onB.contains("during-b"));
    assertThat(onA).as("A's side serves A's subscribers").containsExactly("during");
    assertThat(onB).as("nothing crossed the partition").containsExactly("before", "during-b");
    assertThat(b.metric("braid_cluster_received_total")).as("only the message before the partition").isEqualTo(1);

    heal();
    awaitNodes(2);
    // routing across resumes within seconds of the merge (OPERATIONS.md): until then a publish may miss the other
    // side, and a count of routes may still include the old identity's; probe until one crosses
    AtomicInteger probes = new AtomicInteger();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      publisher.publish("part/probe", Buffer.buffer("probe-" + probes.incrementAndGet()), 1)
          .await(10, TimeUnit.SECONDS);
      return onB.stream().anyMatch(received -> received.startsWith("probe-"));
    });
    publisher.publish("part/after", Buffer.buffer("after"), 1).await(10, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).until(() -> onB.contains("after"));
    assertThat(onB.stream().filter(received -> !received.startsWith("probe-")))
        .as("routing across resumed, once").containsExactly("before", "during-b", "after");
    assertThat(onB.stream().filter(received -> received.startsWith("probe-"))).doesNotHaveDuplicates();
    await().atMost(Duration.ofSeconds(10)).until(() -> onA.contains("after"));
    assertThat(onA.stream().filter(received -> !received.startsWith("probe-")))
        .as("A's own subscriber, once").containsExactly("during", "after");
    assertThat(onA.stream().filter(received -> received.startsWith("probe-"))).doesNotHaveDuplicates();
  }
}
