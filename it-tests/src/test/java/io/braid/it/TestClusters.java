package io.braid.it;

import static org.awaitility.Awaitility.await;

import io.braid.cluster.MemberPorts;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Brokers in child JVMs that form a test cluster on loopback, and their command-line arguments. */
final class TestClusters {

  private TestClusters() {
  }

  /** {@code --cluster} on {@code clusterPort}, with every port of {@code members} listed as a member. */
  static List<String> nodeArgs(int clusterPort, List<Integer> members) {
    List<String> args = new ArrayList<>(List.of("--cluster", "--cluster-port", "" + clusterPort,
        "--set", "cluster.host=" + TestServers.HOST, "--set", "limits.publishRatePerClient=0"));
    for (int port : members) {
      args.addAll(List.of("--cluster-member", TestServers.HOST + ":" + port));
    }
    return args;
  }

  /**
   * A node on {@code clusterPort} of the cluster whose members are on {@code members}, started with {@code args}
   * before the cluster's own.
   */
  static ChildBroker startNode(int clusterPort, List<Integer> members, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(nodeArgs(clusterPort, members));
    try {
      return ChildBroker.start(all.toArray(String[]::new));
    } catch (Exception e) {
      throw new IllegalStateException("cluster node did not start", e);
    }
  }

  /**
   * A node per port of {@code clusterPorts}, each with {@code args}, started side by side; returned once the first
   * counts them all as members.
   */
  static List<ChildBroker> start(List<Integer> clusterPorts, List<String> args) throws Exception {
    List<CompletableFuture<ChildBroker>> starting = new ArrayList<>();
    for (int port : clusterPorts) {
      starting.add(CompletableFuture.supplyAsync(() -> startNode(port, clusterPorts, args)));
    }
    List<ChildBroker> nodes = new ArrayList<>();
    for (CompletableFuture<ChildBroker> node : starting) {
      nodes.add(node.get(120, TimeUnit.SECONDS));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> nodes.get(0).metric("braid_cluster_nodes")
        == clusterPorts.size());
    return nodes;
  }

  /** {@code count} ports for cluster members ({@link #freePort}). */
  static List<Integer> freePorts(int count) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ports.add(freePort());
    }
    return ports;
  }

  /** A port free now, for a cluster member ({@link MemberPorts}: below the ephemeral range, never handed out twice). */
  static int freePort() throws IOException {
    return MemberPorts.next();
  }
}
