package io.braid.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Vert.x cluster manager and event bus settings of a node: Hazelcast with TCP/IP member lists (multicast and
 * auto-detection off), on one address, without Hazelcast's phone-home.
 */
public final class ClusterSetup {

  private ClusterSetup() {
  }

  /** A cluster manager for {@code Vertx.builder().withClusterManager(..)}; the node joins when Vert.x is built. */
  public static HazelcastClusterManager clusterManager(ClusterOptions options) {
    // read before the Config is: without it Hazelcast's first lines go to java.util.logging, not the broker's log
    System.setProperty("hazelcast.logging.type", "slf4j");
    return new HazelcastClusterManager(hazelcastConfig(options));
  }

  /** The event bus binds to the cluster address, on any free port (the members learn it from Hazelcast). */
  public static EventBusOptions eventBusOptions(ClusterOptions options) {
    return new EventBusOptions().setHost(options.host()).setPort(0).setClusterPublicHost(options.host());
  }

  static Config hazelcastConfig(ClusterOptions options) {
    Config config = ConfigUtil.loadConfig(); // Vert.x's own maps (subscriptions, node info) with their backups
    config.setClusterName(options.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // a dead member is noticed within seconds, not the default minute
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.setProperty("hazelcast.local.localAddress", options.host());
    // after a partition heals the two sides look for each other every 5 s (Hazelcast's defaults: 300 s, then 120 s)
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.port()).setPortAutoIncrement(false);
    network.setPublicAddress(options.publicAddress().isEmpty() ? options.host() + ":" + options.port()
        : options.publicAddress());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.members());
    return config;
  }
}
