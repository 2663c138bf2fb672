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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent sessions moving between two live nodes when a client connects to a node that does not hold its session:
 * the asking node sends a request over the event bus ({@code braid.sessions.<holder>}); the holder closes the old
 * connection (session taken over), names the asking node in the {@link SessionDirectory}, answers with the session's
 * state and deletes it; the asking node adopts it. Routes and messages in flight follow through {@link SessionMoves}.
 *
 * <p>While a session moves ({@link SessionsInTransit}, one for each direction) whoever asks for it, its client again
 * or another node, waits for the move first: the holder has deleted it and the directory may not name its new node
 * yet, and the asking node has not adopted it yet.
 *
 * <p><b>Threading:</b> any thread.
 */
final class SessionHandOvers {

  private static final Logger log = LoggerFactory.getLogger(SessionHandOvers.class);
  static final String ADDRESS = "braid.sessions.";
  /**
   * How long a hand-over may take before the session is given up for lost: far beyond a busy node's answer, since
   * the holder deletes the session once it has answered.
   */
  private static final long HAND_OVER_TIMEOUT_MILLIS = 120_000;

  private final Vertx vertx;
  private final Supplier<String> self;
  private final SessionDirectory directory;
  private final SessionMoves moves;
  private final SessionsInTransit arrivals;
  private final SessionsInTransit departures;
  private volatile Broker broker;
  private volatile ReplicatingStore store;
  private MessageConsumer<JsonObject> consumer;

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
    departures.nodeLeft(node);
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
          Buffer body = reply.body();
          return body.length() == 0 ? null : ReplicaFrame.decodeSession(body);
        }).thenCompose(state -> {
          if (state == null) {
            moves.notArrived(clientId);
            return CompletableFuture.completedFuture(null);
          }
          moves.handedOver(clientId, state);
          return broker.adopt(state).thenAccept(adopted -> {
            if (!adopted) { // the holder deleted it: nothing may have created one here meanwhile
              log.error("the session of client {} came from node {}, but one was here already: the one here stays",
                  clientId, holder);
            }
            moves.arrived(clientId);
          });
        }).whenComplete((done, failure) -> {
          if (failure != null) {
            moves.notArrived(clientId);
            log.warn("the session of client {} did not come from node {}: {}", clientId, holder, failure.toString());
          }
        });
  }

  // ---------------------------------------------------------------- the holder

  /**
   * Another node asks for a session, whose client connected there: {@code {"client": id, "node": asking node}}. A
   * session on its way here is handed on once it is here; a second request while it leaves is refused.
   */
  private void handOver(Message<JsonObject> request) {
    String clientId = request.body().getString("client");
    String node = request.body().getString("node");
    if (clientId == null || node == null) {
      request.fail(400, "a hand-over request names the client and the asking node");
      return;
    }
    arrivals.settled(clientId).thenRun(() -> {
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

  /**
   * Ends the session here and answers with its state, once the directory names {@code node} for it: a client that
   * looks the session up meanwhile finds it there, on its way. Completes once the answer is sent.
   */
  private CompletableFuture<Void> handOver(String clientId, String node, Message<JsonObject> request) {
    CompletableFuture<SessionState> handedOver;
    try {
      moves.handingOver(clientId, node); // its routes stay here, relayed there, when it leaves the router
      store.handingOver(clientId);
      handedOver = broker.handOver(clientId);
    } catch (RuntimeException e) { // answered below, like a failure of the hand-over itself
      handedOver = CompletableFuture.failedFuture(e);
    }
    return handedOver.thenCompose(state -> {
      if (state == null) {
        return movedOn(clientId, node);
      }
      return directory.transfer(clientId, self.get(), node).handle((moved, failure) -> {
        if (failure != null) {
          log.warn("cannot name node {} for the session of client {}: {}", node, clientId, failure.toString());
        }
        return state;
      });
    }).handle((state, failure) -> {
      store.handedOver(clientId);
      if (state == null || failure != null) {
        moves.notHandedOver(clientId);
      }
      if (failure != null) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (!(cause instanceof SessionUnavailableException)) {
          log.error("cannot hand over the session of client {}: {}", clientId, cause.toString());
        }
        request.fail(500, cause.getMessage());
      } else {
        request.reply(state == null ? Buffer.buffer() : ReplicaFrame.encode(state));
      }
      return null;
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
