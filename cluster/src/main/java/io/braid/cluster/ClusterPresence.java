package io.braid.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.braid.pubsub.presence.LeaveReason;
import io.braid.pubsub.presence.Membership;
import io.braid.pubsub.presence.Presence;
import io.braid.pubsub.presence.PresenceReplication;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence across the cluster: every node keeps every node's members ({@link Presence}), so that a subscriber of
 * {@code $presence/} on any node gets the same snapshot and events. A node sends each change to its own members to
 * every other node ({@link PresenceFrame}, on the links of forwarded messages, acknowledged), and all its members to
 * a node that joins. A node that left takes its members with it (each a leave, reason lost). A change a node could
 * not deliver to a node still there is made good by sending it all its members again, which replace what it told
 * before.
 *
 * <p>Uniqueness of a member's name ({@code presence.uniqueField}) is checked against every node's members as this
 * node knows them: two clients taking the same name on two nodes within the time a change crosses the cluster (a
 * few milliseconds) both get it.
 *
 * <p><b>Threading:</b> any thread; the changes to this node's members are sent under the presence lock, so each
 * node gets them in the order they happened.
 */
final class ClusterPresence implements PresenceReplication {

  private static final Logger log = LoggerFactory.getLogger(ClusterPresence.class);
  static final long RESEND_DELAY_MILLIS = 1_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final PeerTransport transport;
  private final Set<String> resending = ConcurrentHashMap.newKeySet();
  private volatile Presence presence;
  private UUID listener;

  ClusterPresence(Vertx vertx, HazelcastInstance hazelcast, PeerTransport transport) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.transport = transport;
  }

  /** Shares {@code presence} with the other nodes, if it tracks any topic. Before the transport receives. */
  void attach(Presence presence) {
    if (!presence.isEnabled()) {
      return;
    }
    this.presence = presence;
    presence.replicateTo(this);
    listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        sendAllTo(event.getMember().getUuid().toString());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String node = event.getMember().getUuid().toString();
        resending.remove(node);
        presence.nodeLeft(node);
      }
    });
  }

  @Override
  public void joined(Membership membership) {
    broadcast(PresenceFrame.encode(new PresenceFrame.Joined(self(), membership)));
  }

  @Override
  public void left(String topic, String clientId, LeaveReason reason) {
    broadcast(PresenceFrame.encode(new PresenceFrame.Left(self(), topic, clientId, reason)));
  }

  /** Applies a change another node sent. On the event loop that receives from that node. */
  CompletableFuture<Void> receive(Buffer frame) {
    PresenceFrame.Change change = PresenceFrame.decode(frame);
    Presence current = presence;
    if (current == null) {
      log.warn("node {} told of presence, which this node does not track: check presence.filters on every node",
          change.node());
      return CompletableFuture.completedFuture(null);
    }
    if (change instanceof PresenceFrame.Joined joined) {
      current.joinedElsewhere(joined.node(), joined.membership());
    } else if (change instanceof PresenceFrame.Left left) {
      current.leftElsewhere(left.node(), left.topic(), left.clientId(), left.reason());
    } else if (change instanceof PresenceFrame.Members members) {
      current.membersElsewhere(members.node(), members.memberships());
    }
    return CompletableFuture.completedFuture(null);
  }

  private void broadcast(Buffer frame) {
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (!member.localMember()) {
        send(member.getUuid().toString(), frame);
      }
    }
  }

  /** All this node's members to {@code node}, in order with the changes sent to it before and after. */
  private void sendAllTo(String node) {
    Presence current = presence;
    current.ownMembers(own -> send(node, PresenceFrame.encode(new PresenceFrame.Members(self(), own))));
  }

  private void send(String node, Buffer frame) {
    transport.sendAcknowledged(node, frame).whenComplete((taken, failure) -> {
      if (failure != null) {
        resendLater(node, failure);
      }
    });
  }

  /** {@code node} missed a change: all members again, once, a little later, if it is still a member. */
  private void resendLater(String node, Throwable failure) {
    if (!isMember(node) || !resending.add(node)) {
      return;
    }
    log.info("node {} missed a presence change ({}): sending it all members again", node, failure.getMessage());
    vertx.setTimer(RESEND_DELAY_MILLIS, timer -> {
      if (resending.remove(node) && isMember(node)) {
        sendAllTo(node);
      }
    });
  }

  private boolean isMember(String node) {
    return hazelcast.getCluster().getMembers().stream().anyMatch(member -> member.getUuid().toString().equals(node));
  }

  private String self() {
    return hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  void close() {
    if (listener != null) {
      hazelcast.getCluster().removeMembershipListener(listener);
    }
  }
}
