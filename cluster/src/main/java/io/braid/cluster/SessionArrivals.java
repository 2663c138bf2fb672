package io.braid.cluster;

import io.braid.pubsub.broker.SessionUnavailableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sessions on their way to this node from the node that held them, at most one hand-over per client at a time.
 *
 * <p>A hand-over is never given up while it may still complete: the node that held the session deletes it once it has
 * sent it, so a late answer dropped here would lose the session. A connecting client waits for the arrival a bounded
 * time and is then refused for now ({@link SessionUnavailableException}, 0x89); the arrival goes on without it, and
 * whoever asks for the session meanwhile (the client again, or another node) waits for it first.
 *
 * <p><b>Threading:</b> any thread.
 */
final class SessionArrivals {

  private final Map<String, Arrival> arriving = new ConcurrentHashMap<>();
  private final long clientWaitMillis;

  private record Arrival(String from, CompletableFuture<Void> done) {
  }

  /** @param clientWaitMillis how long a connecting client waits for its session's arrival before it is refused */
  SessionArrivals(long clientWaitMillis) {
    this.clientWaitMillis = clientWaitMillis;
  }

  /**
   * The arrival of {@code clientId}'s session: the one in progress, or a new one from node {@code from} started with
   * {@code transfer}, which completes once the session is here (or known to be nowhere).
   */
  CompletableFuture<Void> bring(String clientId, String from, Supplier<CompletableFuture<Void>> transfer) {
    Arrival started = new Arrival(from, new CompletableFuture<>());
    Arrival arrival = arriving.putIfAbsent(clientId, started);
    if (arrival != null) {
      return arrival.done();
    }
    CompletableFuture<Void> transferred;
    try {
      transferred = transfer.get();
    } catch (RuntimeException e) {
      transferred = CompletableFuture.failedFuture(e);
    }
    transferred.whenComplete((done, failure) -> {
      arriving.remove(clientId, started);
      if (failure == null) {
        started.done().complete(null);
      } else {
        started.done().completeExceptionally(failure);
      }
    });
    return started.done();
  }

  /**
   * {@code node} left the cluster: the sessions on their way from it are not waited for any more (its heir takes
   * them over, or, if it answered just before it left, its answer is still adopted when it comes).
   */
  void nodeLeft(String node) {
    arriving.forEach((clientId, arrival) -> {
      if (arrival.from().equals(node) && arriving.remove(clientId, arrival)) {
        arrival.done().completeExceptionally(new SessionUnavailableException("node " + node
            + " left before it handed over the session of " + clientId));
      }
    });
  }

  /** Completes when no arrival of {@code clientId}'s session is in progress any more, however it ended. */
  CompletableFuture<Void> settled(String clientId) {
    Arrival arrival = arriving.get(clientId);
    return arrival == null ? CompletableFuture.completedFuture(null) : arrival.done().handle((done, failure) -> null);
  }

  /**
   * What a connecting client waits for: {@code arrival}, or a {@link SessionUnavailableException} once it has waited
   * its time (the arrival goes on).
   */
  CompletableFuture<Void> clientWait(String clientId, CompletableFuture<Void> arrival) {
    return arrival.copy().orTimeout(clientWaitMillis, TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof TimeoutException) {
        return CompletableFuture.failedFuture(new SessionUnavailableException("the session of " + clientId
            + " is still on its way to this node"));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }
}
