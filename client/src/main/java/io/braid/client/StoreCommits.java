package io.braid.client;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;

/**
 * Group commits of a {@link ClientStore}: numbers the changes that must be durable before the broker hears of them,
 * runs one {@link ClientStore#sync()} at a time for all changes made so far, and tells its owner when more became
 * durable. With the memory store every change is durable at once.
 *
 * <p>Confined to the client's context.
 */
final class StoreCommits {

  private static final System.Logger LOG = System.getLogger(StoreCommits.class.getName());
  private static final long RETRY_MILLIS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final ClientStore store;
  private final Runnable onDurable;
  private long changes;
  private long durable;
  private boolean syncing;
  private boolean again;

  /** @param onDurable runs on the context when changes became durable after a wait */
  StoreCommits(Vertx vertx, Context context, ClientStore store, Runnable onDurable) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.onDurable = onDurable;
  }

  /** A change was just made to the store: its number, durable once {@link #isDurable} says so. */
  long changed() {
    long change = ++changes;
    sync();
    return change;
  }

  boolean isDurable(long change) {
    return change <= durable;
  }

  private void sync() {
    if (syncing) {
      again = true; // the sync running may have missed this change: one more follows it, for all that came meanwhile
      return;
    }
    long target = changes;
    CompletableFuture<Void> sync = store.sync();
    if (sync.isDone() && !sync.isCompletedExceptionally()) {
      durable = target; // the caller goes on to send what became durable
      return;
    }
    syncing = true;
    sync.whenComplete((done, failure) -> context.runOnContext(v -> synced(target, failure)));
  }

  private void synced(long target, Throwable failure) {
    syncing = false;
    if (failure != null) {
      LOG.log(System.Logger.Level.ERROR, "the client store cannot commit; publishes wait, retrying in "
          + RETRY_MILLIS + " ms", failure);
      vertx.setTimer(RETRY_MILLIS, id -> sync());
      return;
    }
    durable = target;
    if (again) {
      again = false;
      sync();
    }
    onDurable.run();
  }
}
