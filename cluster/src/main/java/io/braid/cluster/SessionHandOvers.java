package io.braid.cluster;

import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.SessionUnavailableException;
import io.braid.pubsub.store.SessionState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent sessions moving between two live nodes when a client connects to a node that does not hold its session,
 * in two steps so that the death of either node at any moment loses nothing: the asking node sends a request over the
 * event bus ({@code braid.sessions.<holder>}); the holder closes the old connection (session taken over) and answers
 * with the session's state, which it keeps stored (and replicated); the asking node adopts it (durable there and on
 * its replica), claims it in the {@link SessionDirectory} if the holder still holds it there, and confirms; the holder
 * then deletes its copy. Without a confirmation (the asking node left, or failed) the directory decides: the holder
 * puts the session back if the directory still names it, and deletes it if another node claimed it. An heir taking
 * over a node's replica claims each session the same way ({@link SessionDirectory#claimFrom}), so of two copies only
 * the first claimed stays. Routes and messages in flight follow through {@link SessionMoves}.
 *
 * <p>While a session moves ({@link SessionsInTransit}, one for each direction) whoever asks for it, its client again
 * or another node, waits for the move first.
 *
 * <p><b>Threading:</b> any thread.
 */
final class SessionHandOvers {

  private static final Logger log = LoggerFactory.getLogger(SessionHandOvers.class);
  static final String ADDRESS = "braid.sessions.";
  /**
   * How long each step of a hand-over may take (the answer, then its confirmation): far beyond a busy node's, since
   * a step given up is a session refused for now or put back. A node that leaves ends its steps at once.
   */
  private static final long HAND_OVER_TIMEOUT_MILLIS = 120_000;
  private static final Buffer CONFIRMED = Buffer.buffer("taken");

  private final Vertx vertx;
  private final Supplier<String> self;
  private final SessionDirectory directory;
  private final SessionMoves moves;
  private final SessionsInTransit arrivals;
  private final SessionsInTransit departures;
  private volatile Broker broker;
  private volatile ReplicatingStore store;
  private MessageConsumer<JsonObject> consumer;
  /** Sessions answered for, by client: whether the asking node confirmed it took them. */
  private final Map<String, PendingConfirm> unconfirmed = new ConcurrentHashMap<>();

  /** A session answered for, whose confirmation {@code node} owes. */
  private record PendingConfirm(String node, CompletableFuture<Boolean> confirmed) {
  }

  /** @param clientWaitMillis how long a connecting client waits for its session to move before it is refused (0x89) */
  SessionHandOvers(Vertx vertx, Supplier<String> self, SessionDirectory directory, SessionMoves moves,
      long clientWaitMillis) {
    this.vertx = vertx;
    this.arrivals = new SessionsInTransit(clientWaitMillis);
    this.departures = new SessionsInTransit(clientWaitMillis);
    this.self = self;
    this.directory = directory;
    this.moves = moves;
  }

  /** Answers other nodes' requests for the sessions of {@code broker}. Blocking: start-up. */
  void start(Broker broker, ReplicatingStore store) {
    this.broker = broker;
    this.store = store;
    consumer = vertx.eventBus().consumer(ADDRESS + self.get(), this::handOver);
    consumer.completion().await();
  }

  /**
   * What a connecting client waits for before its session is looked up: the move of its session in progress, in
   * either direction, if any; fails with {@link SessionUnavailableException} once it has waited 5 s.
   */
  CompletableFuture<Void> clientWait(String clientId) {
    return arrivals.clientWait(clientId, arrivals.settled(clientId)
        .thenCompose(here -> departures.settled(clientId)));
  }

  /**
   * What a connecting client waits for while its session comes here from {@code holder}, which this starts unless it
   * is on its way already: completes once the session is here (adopted by the broker) or held nowhere, fails with
   * {@link SessionUnavailableException} if it cannot come now or if the client waited 5 s (the move goes on).
   */
  CompletableFuture<Void> bringFrom(String holder, String clientId) {
    return arrivals.clientWait(clientId, arrivals.start(clientId, holder, () -> ask(holder, clientId)));
  }

  /** {@code node} left the cluster: the moves between it and this node are not waited for any more. */
  void nodeLeft(String node) {
    arrivals.nodeLeft(node);
    // a departure to it settles once the directory says where the session is (put back here, or claimed there)
    unconfirmed.values().removeIf(pending -> {
      if (pending.node().equals(node)) {
        pending.confirmed().complete(false);
        return true;
      }
      return false;
    });
  }

  // ---------------------------------------------------------------- the asking node

  private CompletableFuture<Void> ask(String holder, String clientId) {
    moves.expect(clientId, holder);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(HAND_OVER_TIMEOUT_MILLIS);
    JsonObject request = new JsonObject().put("client", clientId).put("node", self.get());
    return vertx.eventBus().<Buffer>request(ADDRESS + holder, request, options).toCompletionStage()
        .toCompletableFuture()
        .handle((reply, failure) -> {
          if (failure != null) {
            throw new SessionUnavailableException("node " + holder + " did not hand over the session of " + clientId
                + ": " + failure.getMessage());
          }
          return reply;
        }).thenCompose(reply -> {
          if (reply.body().length() == 0) {
            moves.notArrived(clientId);
            return CompletableFuture.completedFuture(null);
          }
          SessionState state = ReplicaFrame.decodeSession(reply.body());
          log.info("the session of client {} comes from node {} with {} queued messages", clientId, holder,
              state.queue().size());
          moves.handedOver(clientId, state);
          store.adopting(clientId);
          return broker.adopt(state).thenCompose(adopted -> claimAndConfirm(holder, clientId, reply, adopted))
              .whenComplete((done, failure) -> store.adopted(clientId, failure == null));
        }).whenComplete((done, failure) -> {
          if (failure != null) {
            moves.notArrived(clientId);
            log.warn("the session of client {} did not come from node {}: {}", clientId, holder, failure.toString());
          }
        });
  }

  /**
   * The session came from {@code holder} and was {@code adopted} (durable here and on this node's replica): claims it
   * from the holder in the directory and confirms, so the holder deletes its copy. If another node claimed it first
   * (the holder's heir, the holder having left), that copy is the session and this one is dropped.
   */
  private CompletableFuture<Void> claimAndConfirm(String holder, String clientId, Message<Buffer> reply,
      boolean adopted) {
    if (!adopted) { // the holder kept it: nothing may have created one here meanwhile
      log.error("the session of client {} came from node {}, but one was here already: the one here stays",
          clientId, holder);
    }
    return directory.claimFrom(clientId, holder).thenCompose(claimed -> {
      if (claimed) {
        reply.reply(CONFIRMED);
        moves.arrived(clientId);
        return CompletableFuture.completedFuture(null);
      }
      reply.fail(409, "another node holds the session of " + clientId);
      log.warn("the session of client {} came from node {}, but another node claimed it first: dropped here",
          clientId, holder);
      CompletableFuture<?> dropped = adopted ? broker.handOver(clientId) : CompletableFuture.completedFuture(null);
      return dropped.thenApply(gone -> {
        throw new SessionUnavailableException("the session of " + clientId + " is held by another node");
      });
    });
  }

  // ---------------------------------------------------------------- the holder

  /**
   * Another node asks for a session, whose client connected there: {@code {"client": id, "node": asking node}}. A
   * session on its way here is handed on once it is here, and one that moved here once its former node's relay ended
   * (within {@link SessionMoves#RELAY_MILLIS}): one relay per session at a time, so that no copy is relayed to a node
   * it has left. A second request while it leaves is refused.
   */
  private void handOver(Message<JsonObject> request) {
    String clientId = request.body().getString("client");
    String node = request.body().getString("node");
    if (clientId == null || node == null) {
      request.fail(400, "a hand-over request names the client and the asking node");
      return;
    }
    arrivals.settled(clientId).thenCompose(here -> afterRelay(clientId, node)).thenRun(() -> {
      AtomicBoolean mine = new AtomicBoolean();
      departures.start(clientId, node, () -> {
        mine.set(true);
        return handOver(clientId, node, request);
      });
      if (!mine.get()) {
        request.fail(409, "the session of " + clientId + " is being handed over to another node");
      }
    });
  }

  /** What a request for a session that moved here waits for: the end of its former node's relay. */
  private CompletableFuture<Void> afterRelay(String clientId, String node) {
    CompletableFuture<Void> ended = moves.whenRelayEnded(clientId);
    if (!ended.isDone()) {
      log.info("node {} asks for the session of client {}, which moved here and is still relayed here: handed on "
          + "once the relay ends", node, clientId);
    }
    return ended;
  }

  /**
   * Ends the session here and answers with its state, kept stored until the asking node confirms it took it, or the
   * directory says where it is. Completes once the session is settled: on the other node, or back here.
   */
  private CompletableFuture<Void> handOver(String clientId, String node, Message<JsonObject> request) {
    CompletableFuture<SessionState> movedAway;
    try {
      moves.handingOver(clientId, node); // its routes stay here, relayed there, when it leaves the router
      store.handingOver(clientId);
      movedAway = broker.moveAway(clientId);
    } catch (RuntimeException e) { // answered below, like a failure of the hand-over itself
      movedAway = CompletableFuture.failedFuture(e);
    }
    return movedAway.thenCompose(state -> state == null ? movedOn(clientId, node)
        : CompletableFuture.completedFuture(state)).handle((state, failure) -> {
          if (failure != null || state == null) {
            store.handedOver(clientId);
            moves.notHandedOver(clientId);
            answerNothing(clientId, request, failure);
            return CompletableFuture.<Void>completedFuture(null);
          }
          return confirmation(clientId, node, request, state)
              .thenCompose(confirmed -> settle(clientId, node, state, confirmed))
              .whenComplete((settled, settleFailure) -> store.handedOver(clientId));
        }).thenCompose(settled -> settled);
  }

  private static void answerNothing(String clientId, Message<JsonObject> request, Throwable failure) {
    if (failure == null) {
      request.reply(Buffer.buffer());
      return;
    }
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    if (!(cause instanceof SessionUnavailableException)) {
      log.error("cannot hand over the session of client {}: {}", clientId, cause.toString());
    }
    request.fail(500, cause.getMessage());
  }

  /** Answers with {@code state}; completes with whether the asking node confirmed it took it. */
  private CompletableFuture<Boolean> confirmation(String clientId, String node, Message<JsonObject> request,
      SessionState state) {
    PendingConfirm pending = new PendingConfirm(node, new CompletableFuture<>());
    unconfirmed.put(clientId, pending);
    request.replyAndRequest(ReplicaFrame.encode(state), new DeliveryOptions().setSendTimeout(HAND_OVER_TIMEOUT_MILLIS))
        .onComplete(confirm -> pending.confirmed().complete(confirm.succeeded()));
    return pending.confirmed().whenComplete((confirmed, failure) -> unconfirmed.remove(clientId, pending));
  }

  /**
   * Deletes the copy kept here once {@code node} has the session. Unconfirmed, the directory tells: still this node,
   * the session is put back here; another node, that one has it.
   */
  private CompletableFuture<Void> settle(String clientId, String node, SessionState state, boolean confirmed) {
    if (confirmed) {
      broker.forgetMovedAway(clientId);
      return CompletableFuture.completedFuture(null);
    }
    return directory.ownerOf(clientId).thenAccept(owner -> {
      if (owner == null || owner.equals(self.get())) {
        moves.notHandedOver(clientId);
        boolean back = broker.restoreMovedAway(state);
        log.warn("node {} did not take the session of client {}: {}", node, clientId,
            back ? "it is back here" : "one is here already");
      } else {
        broker.forgetMovedAway(clientId);
        log.info("node {} did not confirm the session of client {}, which node {} holds: deleted here", node,
            clientId, owner);
      }
    });
  }

  /**
   * No session of {@code clientId} here: none to hand over (null), unless the directory names a third node, where it
   * moved meanwhile (the asking node then refuses its client for now, and the client finds it there).
   */
  private CompletableFuture<SessionState> movedOn(String clientId, String node) {
    return directory.ownerOf(clientId).thenApply(owner -> {
      if (owner != null && !owner.equals(self.get()) && !owner.equals(node)) {
        throw new SessionUnavailableException("the session of " + clientId + " moved on to node " + owner);
      }
      return null;
    });
  }

  void close() {
    if (consumer != null) {
      consumer.unregister();
    }
  }
}
