package io.braid.pubsub.broker;

import io.braid.pubsub.store.BrokerStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The copies of one QoS 1 message that were queued in the store for persistent sessions, counted down as their
 * subscribers acknowledge them. Once every one was acknowledged, the message can no longer be lost, whether or not
 * the store has committed it yet: its publisher may be acknowledged without waiting for the commit (the store never
 * writes an entry dequeued before the commit at all). So a fast subscriber's round trip, not the disk's sync, is
 * what a durable publisher waits for; a copy that is dropped, expires, moves to another node or waits for an
 * offline session is never counted down, and then the commit decides.
 *
 * <p>Counted up by the routing thread of the message and down on the subscribers' executors: thread-safe.
 */
final class StoredCopies {
  /** Copies not yet acknowledged, plus one while routing may still add copies. */
  private final AtomicInteger open = new AtomicInteger(1);
  private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();

  /** One more copy was queued in the store. */
  void add() {
    open.incrementAndGet();
  }

  /** A copy's subscriber acknowledged it (PUBACK on its current connection). */
  void taken() {
    if (open.decrementAndGet() == 0) {
      acknowledged.complete(null);
    }
  }

  /** Routing is done: no copy is added after this. */
  void routed() {
    taken();
  }

  /** Completes once routing is done and every copy was acknowledged; never completes exceptionally. */
  CompletableFuture<Void> acknowledged() {
    return acknowledged;
  }

  /**
   * Completes once the store has synced, or (when {@code copies} is not null) once every stored copy it counted was
   * acknowledged by its subscriber, whichever is first; exceptionally if the store fails first.
   */
  static CompletableFuture<Void> durableOrAcknowledged(BrokerStore store, CompletableFuture<Void> copies) {
    CompletableFuture<Void> synced = store.sync();
    if (copies == null) {
      return synced;
    }
    CompletableFuture<Void> first = new CompletableFuture<>();
    synced.whenComplete((done, failure) -> {
      if (failure == null) {
        first.complete(null);
      } else {
        first.completeExceptionally(failure);
      }
    });
    copies.thenRun(() -> first.complete(null));
    return first;
  }
}
