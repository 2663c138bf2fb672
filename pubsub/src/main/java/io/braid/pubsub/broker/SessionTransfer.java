package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionState;
import io.braid.pubsub.subscription.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Moves persistent sessions into and out of a broker: those recovered from its own store at start-up, those taken
 * over from another node of a cluster ({@link #adopt}), and those handed over to one ({@link #handOver}).
 *
 * <p><b>Threading:</b> any thread; each session's own work runs on its executor.
 */
final class SessionTransfer {

  private final Broker broker;
  private final Map<String, Session> sessions;
  private final Executor offlineExecutor;
  private final SessionSource source;
  /** Sessions being adopted, until they are restored. */
  private final Map<String, CompletableFuture<Void>> adopting = new ConcurrentHashMap<>();

  SessionTransfer(Broker broker, Map<String, Session> sessions, Executor offlineExecutor, SessionSource source) {
    this.broker = broker;
    this.sessions = sessions;
    this.offlineExecutor = offlineExecutor;
    this.source = source;
  }

  /**
   * Brings the session of a connecting client here from the node that holds it, if it is not here and the source
   * has it. Completes once it is here (or held nowhere else).
   */
  CompletableFuture<Void> bringHere(String clientId) {
    Session here = sessions.get(clientId);
    // one that ended here may be on its way to another node: the source knows
    if (source == null || here != null && !here.isEnded()) {
      return CompletableFuture.completedFuture(null);
    }
    return source.take(clientId).thenCompose(state -> state == null ? CompletableFuture.completedFuture(null)
        : adopt(state, broker::restamp).thenApply(adopted -> null));
  }

  /** Puts a stored session into the broker: its subscriptions routed, its queue waiting, its will due as stored. */
  Session install(SessionState state) {
    Session session = new Session(broker, state.clientId(), offlineExecutor);
    sessions.put(state.clientId(), session);
    restore(session, state);
    return session;
  }

  private void restore(Session session, SessionState state) {
    for (Subscription subscription : state.session().subscriptions()) {
      broker.router().subscribe(subscription);
    }
    session.restore(state.session(), state.queue(), state.inboundPacketIds());
  }

  /**
   * Takes over {@code state}, a session another node held, unless this node has a session of that client already.
   * Its messages get ids of this node (ids name queued messages in the store) and keep their times of acceptance.
   * Completes with whether it was taken, once it is durable here.
   */
  CompletableFuture<Boolean> adopt(SessionState state, UnaryOperator<ApplicationMessage> restamp) {
    CompletableFuture<Void> restoring = new CompletableFuture<>();
    // announced before the session is visible: a client attaching meanwhile waits until it is restored
    if (adopting.putIfAbsent(state.clientId(), restoring) != null) {
      return CompletableFuture.completedFuture(false);
    }
    try {
      return adopt(state, restamp, new Session(broker, state.clientId(), offlineExecutor));
    } finally {
      adopting.remove(state.clientId(), restoring);
      restoring.complete(null);
    }
  }

  /** Completes once the session of {@code clientId} is restored, if it is being adopted; else at once. */
  CompletableFuture<Void> restored(String clientId) {
    CompletableFuture<Void> restoring = adopting.get(clientId);
    return restoring == null ? CompletableFuture.completedFuture(null) : restoring;
  }

  private CompletableFuture<Boolean> adopt(SessionState state, UnaryOperator<ApplicationMessage> restamp,
      Session session) {
    if (sessions.putIfAbsent(state.clientId(), session) != null) {
      return CompletableFuture.completedFuture(false);
    }
    Map<Long, ApplicationMessage> renamed = new HashMap<>(); // a message queued several times is stored once
    List<QueuedMessage> queue = new ArrayList<>(state.queue().size());
    for (QueuedMessage queued : state.queue()) {
      ApplicationMessage message = renamed.computeIfAbsent(queued.message().id(), id -> restamp.apply(queued.message()));
      queue.add(new QueuedMessage(queued.sequence(), queued.subscription(), message, queued.qos(), queued.retain(),
          queued.subscriptionIdentifiers(), queued.progress()));
    }
    SessionState local = new SessionState(state.session(), queue, state.inboundPacketIds());
    BrokerStore store = broker.store();
    store.atomically(() -> {
      store.saveSession(local.session());
      queue.forEach(queued -> store.enqueue(local.clientId(), queued));
      local.inboundPacketIds().forEach(packetId -> store.addInboundPacketId(local.clientId(), packetId));
      return null;
    });
    restore(session, local);
    return store.sync().thenApply(durable -> true);
  }

  /**
   * Ends the session of {@code clientId} here for another node to take over: closes its connection (session taken
   * over), reads its stored state, then deletes it. Completes with that state, or null if there is no persistent
   * session to hand over.
   */
  CompletableFuture<SessionState> handOver(String clientId) {
    return moveAway(clientId, true);
  }

  /**
   * {@link #handOver}, but the state stays in the store until {@link #forgetMovedAway} (the other node has it) or
   * {@link #restoreMovedAway} (it does not).
   */
  CompletableFuture<SessionState> moveAway(String clientId, boolean delete) {
    Session session = sessions.get(clientId);
    if (session == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Optional<Will>> moved = new CompletableFuture<>();
    session.executor.execute(() -> moved.complete(session.isEnded() ? null : Optional.ofNullable(session.moveAway())));
    BrokerStore store = broker.store();
    // offers that found the session here write their entries first, so that the queue read below has them
    return moved.thenCompose(will -> will == null ? CompletableFuture.<SessionState>completedFuture(null)
        : session.offers.quiet(offlineExecutor).thenCompose(written -> store.sync()).thenApplyAsync(durable -> {
          SessionState state = store.loadSession(clientId);
          if (delete) {
            store.deleteSession(clientId);
          }
          sessions.remove(clientId, session);
          return state == null ? null : state.withWill(will.orElse(null));
        }, offlineExecutor));
  }

  /** The session of {@code clientId}, moved away, is on another node now: deletes what the store kept of it. */
  void forgetMovedAway(String clientId) {
    broker.store().deleteSession(clientId);
  }

  /**
   * The session moved away as {@code state} did not get to the other node: it is put back here as it is stored (its
   * record saved again with the will it has now), unless a session of that client is here already. Whether it was.
   */
  boolean restoreMovedAway(SessionState state) {
    if (sessions.containsKey(state.clientId())) {
      return false;
    }
    broker.store().saveSession(state.session());
    install(state);
    return true;
  }
}
