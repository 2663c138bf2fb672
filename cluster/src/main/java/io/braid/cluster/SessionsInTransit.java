package io.braid.cluster;

import io.braid.pubsub.broker.SessionUnavailableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sessions on their way between this node and another, at most one transfer per client at a time: one instance for
 * the sessions coming here, one for those leaving.
 *
 * <p>A hand-over is never given up while it may still complete: the node that held the session deletes it once it has
 * sent it, so a late answer dropped by the receiving node would lose the session. A connecting client waits for a
 * transfer a bounded time and is then refused for now ({@link SessionUnavailableException}, 0x89); the transfer goes
 * on without it, and whoever asks for the session meanwhile (the client again, or another node) waits for it first.
 *
 * <p><b>Threading:</b> any thread.
 */
final class SessionsInTransit {

  private final Map<String, Transfer> moving = new ConcurrentHashMap<>();
  private final long clientWaitMillis;

  private record Transfer(String node, CompletableFuture<Void> done) {
  }

  /** @param clientWaitMillis how long a connecting client waits for a transfer of its session before it is refused */
  SessionsInTransit(long clientWaitMillis) {
    this.clientWaitMillis = clientWaitMillis;
  }

  /**
   * Starts a transfer of {@code clientId}'s session with node {@code node} (where it comes from, or goes to) with
   * {@code transfer}, which completes once the session is where it goes (or known to be nowhere), unless one is in
   * progress; completes when the transfer in progress, this one or the earlier, does.
   */
  CompletableFuture<Void> start(String clientId, String node, Supplier<CompletableFuture<Void>> transfer) {
    Transfer started = new Transfer(node, new CompletableFuture<>());
    Transfer earlier = moving.putIfAbsent(clientId, started);
    if (earlier != null) {
      return earlier.done();
    }
    CompletableFuture<Void> transferred;
    try {
      transferred = transfer.get();
    } catch (RuntimeException e) {
      transferred = CompletableFuture.failedFuture(e);
    }
    transferred.whenComplete((done, failure) -> {
      moving.remove(clientId, started);
      if (failure == null) {
        started.done().complete(null);
      } else {
        started.done().completeExceptionally(failure);
      }
    });
    return started.done();
  }

  /**
   * {@code node} left the cluster: the transfers with it are not waited for any more (its heir takes the sessions
   * coming from it over, or, if it answered just before it left, its answer is still adopted when it comes).
   */
  void nodeLeft(String node) {
    moving.forEach((clientId, transfer) -> {
      if (transfer.node().equals(node) && moving.remove(clientId, transfer)) {
        transfer.done().completeExceptionally(new SessionUnavailableException("node " + node
            + " left while the session of " + clientId + " moved between it and this node"));
      }
    });
  }

  /** Completes when no transfer of {@code clientId}'s session is in progress any more, however it ended. */
  CompletableFuture<Void> settled(String clientId) {
    Transfer transfer = moving.get(clientId);
    return transfer == null ? CompletableFuture.completedFuture(null) : transfer.done().handle((done, failure) -> null);
  }

  /**
   * What a connecting client waits for: {@code transfer}, or a {@link SessionUnavailableException} once it has waited
   * its time (the transfer goes on).
   */
  CompletableFuture<Void> clientWait(String clientId, CompletableFuture<Void> transfer) {
    return transfer.copy().orTimeout(clientWaitMillis, TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof TimeoutException) {
        return CompletableFuture.failedFuture(new SessionUnavailableException("the session of " + clientId
            + " is still on its way"));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }
}
