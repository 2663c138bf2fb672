package io.braid.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.OfflinePool;
import io.braid.pubsub.broker.SessionInfo;
import io.braid.pubsub.broker.SessionSource;
import io.braid.pubsub.broker.SessionUnavailableException;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.SessionState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent sessions that outlive their node and follow their client to any node.
 *
 * <ul>
 *   <li>Every change to a session is also sent to another node, which keeps a replica ({@link ReplicatingStore},
 *       {@link HeldReplicas}); a QoS 1/2 publish that touches a session is acknowledged only once both have it.
 *   <li>When a node leaves, the node that kept its replica takes its sessions over: their subscriptions are routed
 *       there, their queues keep filling, their wills are due as after any lost connection.
 *   <li>A client whose session is on another node, connecting here, has it handed over ({@link SessionSource}): the
 *       holder closes its old connection (session taken over) and sends the session's state ({@link SessionHandOvers}).
 *       Which node holds which session is in the {@link SessionDirectory}.
 * </ul>
 *
 * <p><b>Threading:</b> any thread; membership events arrive on Hazelcast's threads and are handed on at once.
 */
final class SessionFailover implements SessionSource {

  private static final Logger log = LoggerFactory.getLogger(SessionFailover.class);
  /** Times the directory is asked again when the owner it named changed meanwhile. */
  private static final int MAX_LOOKUPS = 3;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Supplier<String> self;
  private final PeerTransport transport;
  private final SessionDirectory directory;
  private final HeldReplicas held = new HeldReplicas();
  private final SessionHandOvers handOvers;
  /**
   * Where what follows a directory lookup runs (a connect, an adoption): a pool of its own, not the JDK's common
   * pool, which has one thread on a two-core machine; a fork-join pool, which adds a thread for a task that waits.
   */
  private final ForkJoinPool lookups = OfflinePool.create("braid-session-lookups-");
  /** Per node that left, the take-over of its sessions. */
  private final Map<String, CompletableFuture<Void>> takeovers = new ConcurrentHashMap<>();
  private final AtomicInteger takingOver = new AtomicInteger();
  /** Completes when the last message that waited for a take-over was routed. */
  private final AtomicReference<CompletableFuture<Void>> gate =
      new AtomicReference<>(CompletableFuture.completedFuture(null));
  private final Executor blocking;
  private ReplicatingStore store;
  private volatile Broker broker;
  private UUID listener;

  /** @param clientWaitMillis how long a connecting client waits for its session to move here (0x89 after) */
  SessionFailover(Vertx vertx, HazelcastInstance hazelcast, Supplier<String> self, PeerTransport transport,
      SessionMoves moves, long clientWaitMillis) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.self = self;
    this.transport = transport;
    this.blocking = command -> vertx.executeBlocking(() -> {
      command.run();
      return null;
    }, false);
    this.directory = new SessionDirectory(hazelcast, self, lookups);
    this.handOvers = new SessionHandOvers(vertx, self, directory, moves, clientWaitMillis);
  }

  /** {@code local} with its sessions replicated to another node. Call once, before the broker is built. */
  BrokerStore replicating(BrokerStore local) {
    store = new ReplicatingStore(local, transport, self, vertx.getOrCreateContext(), blocking, directory);
    return store;
  }

  /**
   * Starts: answers other nodes' hand-over requests, drops recovered sessions that another node holds now (their
   * client moved while this node was away), claims the others, and picks a replica. Blocking: start-up.
   */
  void start(Broker broker) {
    this.broker = broker;
    if (store == null) {
      throw new IllegalStateException("the broker's store is not the replicating one");
    }
    handOvers.start(broker, store);
    reconcile(broker);
    listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        store.membersChanged(others(event.getMembers()));
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        store.membersChanged(others(event.getMembers()));
        handOvers.nodeLeft(event.getMember().getUuid().toString());
        takeOver(event.getMember().getUuid().toString());
      }
    });
    store.membersChanged(others(hazelcast.getCluster().getMembers()));
  }

  private List<String> others(Set<Member> members) {
    String me = self.get();
    return members.stream().map(member -> member.getUuid().toString()).filter(id -> !id.equals(me))
        .collect(Collectors.toList());
  }

  private Set<String> members() {
    return hazelcast.getCluster().getMembers().stream().map(member -> member.getUuid().toString())
        .collect(Collectors.toSet());
  }

  private void reconcile(Broker broker) {
    String me = self.get();
    Set<String> members = members();
    List<String> mine = new ArrayList<>();
    int dropped = 0;
    for (SessionInfo session : broker.sessions()) {
      String owner = directory.ownerNow(session.clientId());
      if (owner != null && !owner.equals(me) && members.contains(owner)) {
        broker.handOver(session.clientId()).join(); // its client moved on while this node was away
        dropped++;
      } else {
        mine.add(session.clientId());
      }
    }
    store.claimRecovered(mine);
    if (dropped + mine.size() > 0) {
      log.info("kept {} recovered sessions; dropped {} that other nodes hold now", mine.size(), dropped);
    }
  }

  /** Another node sends a change to a session it replicates here. On the link's event loop. */
  CompletableFuture<Void> receive(Buffer frame) {
    ReplicaFrame.Decoded decoded = ReplicaFrame.decode(frame);
    held.apply(decoded.owner(), decoded.ops());
    return CompletableFuture.completedFuture(null);
  }

  /**
   * {@code node} left: takes over the sessions whose replica this node kept, once (a message on behalf of the node
   * may start it before this node hears that it left). Completes once they are all here.
   */
  private CompletableFuture<Void> takeOver(String node) {
    return takeovers.computeIfAbsent(node, owner -> {
      takingOver.incrementAndGet();
      CompletableFuture<Void> done = CompletableFuture.supplyAsync(() -> held.takeOver(owner), blocking)
          .thenCompose(sessions -> adoptAll(owner, sessions));
      done.whenComplete((adopted, failure) -> {
        takingOver.decrementAndGet();
        if (failure != null) {
          log.error("cannot take over the sessions of node {}, which left", owner, failure);
        }
      });
      return done;
    });
  }

  private CompletableFuture<Void> adoptAll(String node, List<SessionState> sessions) {
    if (sessions.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    log.info("taking over the {} sessions of node {}, which left", sessions.size(), node);
    AtomicInteger taken = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    // each session is claimed once it is durable here, whatever becomes of the others
    CompletableFuture<?>[] claims = sessions.stream().map(state -> adopt(state)
        .thenCompose(adopted -> adopted ? claimOrDrop(state.clientId(), node)
            : CompletableFuture.completedFuture(false))
        .handle((adopted, failure) -> {
          if (failure != null) {
            failed.incrementAndGet();
            log.error("cannot take over the session of client {} from node {}: {}", state.clientId(), node,
                failure.toString());
          } else if (adopted) {
            taken.incrementAndGet();
          }
          return null;
        })).toArray(CompletableFuture[]::new);
    // the departed node's replica is forgotten only once the directory names this node for its sessions: a client
    // that looks in between would take its session for lost
    return CompletableFuture.allOf(claims).thenRun(() -> {
      directory.forgetReplicaOf(node);
      log.info("took over {} of the {} sessions of node {}, which left ({} failed, the others were here already)",
          taken.get(), sessions.size(), node, failed.get());
    });
  }

  /** Adopts a session from a replica, not claimed on the way ({@link ReplicatingStore#adopting}). */
  private CompletableFuture<Boolean> adopt(SessionState state) {
    store.adopting(state.clientId());
    return broker.adopt(state).whenComplete((adopted, failure) -> {
      if (failure != null || !adopted) {
        store.adopted(state.clientId(), false);
      }
    });
  }

  /**
   * Claims a session adopted from {@code node}'s replica, unless the directory names another node for it: one that
   * {@code node} handed it over to just before it left, which adopted it (and claimed it) first. That copy is the
   * session; this one is dropped.
   */
  private CompletableFuture<Boolean> claimOrDrop(String clientId, String node) {
    return directory.claimFrom(clientId, node).whenComplete((claimed, failure) -> {
      if (failure != null) {
        store.adopted(clientId, false); // the claim failed: logged by the caller
      }
    }).thenCompose(claimed -> {
      store.adopted(clientId, claimed);
      if (claimed) {
        return CompletableFuture.completedFuture(true);
      }
      log.info("the session of client {} moved from node {} to another node just before it left: not taken over",
          clientId, node);
      return broker.handOver(clientId).thenApply(dropped -> false);
    });
  }

  /**
   * Runs {@code deliver} (a forwarded message's local delivery) once the sessions of {@code owners}, nodes that left,
   * are here, if this node keeps their replica, and after the messages that wait for a take-over already: while none
   * is in progress, at once. Completes when the delivery does.
   */
  CompletableFuture<Void> afterTakeOver(Set<String> owners, Supplier<CompletableFuture<Void>> deliver) {
    for (String owner : owners) {
      if (held.holds(owner)) {
        takeOver(owner);
      }
    }
    if (takingOver.get() == 0 && gate.get().isDone()) {
      return deliver.get();
    }
    CompletableFuture<Void> turn = new CompletableFuture<>();
    CompletableFuture<Void> previous = gate.getAndSet(turn);
    return previous.thenCompose(before -> CompletableFuture.allOf(takeovers.values().toArray(CompletableFuture[]::new)))
        .exceptionally(failedTakeOver -> null) // logged where it failed; deliver to what is here
        .thenCompose(ready -> {
          try {
            return deliver.get();
          } finally {
            turn.complete(null); // the next waiting message is routed after this one, in order
          }
        });
  }

  /**
   * Brings the session of {@code clientId} here if another node holds it, and adopts it here: this source's
   * {@link #take} always completes with null, once the session is here or known to be nowhere else.
   */
  @Override
  public CompletableFuture<SessionState> take(String clientId) {
    return handOvers.clientWait(clientId)
        .thenCompose(settled -> directory.ownerOf(clientId))
        .thenCompose(owner -> take(clientId, owner, MAX_LOOKUPS));
  }

  private CompletableFuture<SessionState> take(String clientId, String owner, int lookupsLeft) {
    if (owner == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (owner.equals(self.get())) {
      // named here: not in the broker, or on its way here still (a connect of the same client started it)
      return handOvers.clientWait(clientId).thenApply(here -> null);
    }
    if (members().contains(owner)) {
      return handOvers.bringFrom(owner, clientId).thenApply(here -> null);
    }
    return directory.replicaOf(owner).thenCompose(replica -> {
      if (replica != null && members().contains(replica)) {
        throw new SessionUnavailableException("the session of " + clientId + " was on node " + owner
            + ", which left; node " + replica + " is taking it over");
      }
      // the heir claims a session before it forgets the replica: an owner read before the claim and a replica read
      // after it are no proof of loss, and the owner read again names the heir
      return directory.ownerOf(clientId).thenCompose(now -> {
        if (!Objects.equals(now, owner)) {
          if (lookupsLeft == 0) {
            throw new SessionUnavailableException("the session of " + clientId + " is moving between nodes");
          }
          return take(clientId, now, lookupsLeft - 1);
        }
        directory.releaseIfOwnedBy(clientId, owner); // its node and its replica are gone: it is lost
        log.warn("the session of client {} was on node {}, which left with no replica; a new one starts", clientId,
            owner);
        return CompletableFuture.completedFuture(null);
      });
    });
  }

  int replicaSessionCount() {
    return held.sessionCount();
  }

  void close() {
    if (store != null) {
      store.stop();
    }
    if (listener != null) {
      hazelcast.getCluster().removeMembershipListener(listener);
    }
    handOvers.close();
    lookups.shutdown();
  }
}
