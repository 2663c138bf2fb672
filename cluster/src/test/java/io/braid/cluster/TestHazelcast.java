package io.braid.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.UUID;

/** Hazelcast members for tests, configured as a node's ({@link ClusterSetup}), on free ports of loopback. */
final class TestHazelcast {

  private TestHazelcast() {
  }

  /** A member alone in a cluster of its own, named {@code prefix} plus a random suffix. */
  static HazelcastInstance alone(String prefix) {
    return member(prefix + "-" + UUID.randomUUID(), List.of());
  }

  /** A member that joins {@code first}'s cluster. */
  static HazelcastInstance joining(HazelcastInstance first) {
    return member(first.getConfig().getClusterName(),
        List.of("127.0.0.1:" + first.getCluster().getLocalMember().getAddress().getPort()));
  }

  private static HazelcastInstance member(String cluster, List<String> members) {
    Config config = ClusterSetup.hazelcastConfig(new ClusterOptions(cluster, "127.0.0.1", 5701, members, "links", "",
        5_000));
    config.getNetworkConfig().setPort(0).setPublicAddress(null); // any free port
    return Hazelcast.newHazelcastInstance(config);
  }
}
