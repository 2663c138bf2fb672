package io.braid.pubsub.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The offers to one session in progress on publishers' threads. A session moving to another node is ended, then its
 * stored queue is read and handed over; an offer that found it not yet ended may still be writing its entry. Read
 * before that write, the entry would be in neither the state handed over nor the former node's relay (the message
 * was routed to the session, not relayed). So the move reads the queue only once no offer is in progress: one that
 * enters after the end sees it and writes nothing.
 *
 * <p><b>Threading:</b> any thread; {@link #quiet} waits on the executor it is given, never on an event loop.
 */
final class OfferFence {

  private final AtomicInteger inProgress = new AtomicInteger();

  /** An offer starts: before it checks whether the session ended. */
  void enter() {
    inProgress.incrementAndGet();
  }

  /** The offer is done: its entry, if any, is written. */
  void exit() {
    inProgress.decrementAndGet();
  }

  /**
   * Completes on {@code executor} once no offer is in progress. Called after the session ended, so no offer that
   * enters later writes; those in progress take microseconds (one store write), so the wait yields rather than parks.
   */
  CompletableFuture<Void> quiet(Executor executor) {
    if (inProgress.get() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(() -> {
      while (inProgress.get() > 0) {
        Thread.yield();
      }
    }, executor);
  }
}
