package io.braid.it;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** The command-line arguments of a broker that joins a test cluster on loopback. */
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

  /** A port free now, for a cluster member (Hazelcast members must know each other's ports before they start). */
  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
