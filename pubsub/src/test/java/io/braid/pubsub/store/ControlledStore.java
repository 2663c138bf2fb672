package io.braid.pubsub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An in-memory store whose syncs complete only when the test says so. */
public final class ControlledStore extends ForwardingBrokerStore {
  private final List<CompletableFuture<Void>> pending = new ArrayList<>();

  public ControlledStore() {
    super(new InMemoryStore());
  }

  @Override
  public synchronized CompletableFuture<Void> sync() {
    CompletableFuture<Void> future = new CompletableFuture<>();
    pending.add(future);
    return future;
  }

  /** What {@link #backlog()} answers: how far behind the store pretends to be. */
  public volatile int backlog;

  @Override
  public int backlog() {
    return backlog;
  }

  public synchronized void completeSyncs() {
    pending.forEach(future -> future.complete(null));
    pending.clear();
  }

  public synchronized void failSyncs(StoreException failure) {
    pending.forEach(future -> future.completeExceptionally(failure));
    pending.clear();
  }
}
