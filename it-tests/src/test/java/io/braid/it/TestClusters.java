package io.braid.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Brokers in child JVMs that form a test cluster on loopback, and their command-line arguments. */
final class TestClusters {

  /** Ports this JVM handed out: a member that has not bound its port yet leaves it bindable. */
  private static final Set<Integer> handedOut = new HashSet<>();

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

  /**
   * A port free now, for a cluster member (Hazelcast members must know each other's ports before they start). It is
   * below the kernel's ephemeral range, from which every bind to port 0 takes its port: a port picked inside it was
   * taken, between the pick and the member's start, by another node's event bus or links (CI run of 0c79393).
   */
  static synchronized int freePort() throws Exception {
    int below = ephemeralRangeStart();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(below - 10_000, below);
      if (handedOut.add(port) && bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + (below - 10_000) + ".." + below);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(TestServers.HOST, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralRangeStart() throws IOException {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    // readAllLines, not readString: /proc files have size 0, and readString returned one byte of them
    return Files.exists(range) ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0])
        : 32_768;
  }
}
