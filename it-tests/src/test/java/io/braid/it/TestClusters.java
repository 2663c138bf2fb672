package io.braid.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** The command-line arguments of a broker that joins a test cluster on loopback. */
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
