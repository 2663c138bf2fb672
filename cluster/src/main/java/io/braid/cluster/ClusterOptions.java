package io.braid.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How a node joins its cluster.
 *
 * @param name the cluster's name: members of other clusters on the same network are refused
 * @param host the address this node's cluster port and event bus bind to and tell the other members
 * @param port the Hazelcast member port
 * @param members the other members' {@code host:port} (TCP/IP discovery; multicast is off)
 * @param transport how forwarded messages travel: {@code links} (direct batched TCP links) or {@code eventbus} (the
 *     Vert.x clustered event bus)
 * @param publicAddress the {@code host:port} the other members reach this one's cluster port at (behind NAT or a
 *     port mapping); empty: {@code host:port}
 * @param sessionMoveWaitMillis how long a connecting client waits for its session to arrive from another node before
 *     it is refused for now (CONNACK 0x89); the move itself goes on
 */
public record ClusterOptions(String name, String host, int port, List<String> members, String transport,
    String publicAddress, long sessionMoveWaitMillis) {

  public ClusterOptions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    if (!transport.equals("links") && !transport.equals("eventbus")) {
      throw new IllegalArgumentException("cluster transport must be links or eventbus, was " + transport);
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("cluster port must be 1..65535, was " + port);
    }
    if (sessionMoveWaitMillis < 0) {
      throw new IllegalArgumentException("session move wait must be >= 0, was " + sessionMoveWaitMillis);
    }
    members = List.copyOf(members);
  }
}
