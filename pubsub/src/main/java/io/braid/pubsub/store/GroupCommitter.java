package io.braid.pubsub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Applies a durable store's changes on one thread, in the order they were submitted, and commits them in groups:
 * every {@link #sync()} requested while a commit is running, or while earlier changes are being applied, is
 * completed by the next single commit. Under load, one disk sync serves as many publishes as arrive during the
 * previous one, so durability costs throughput only in proportion to the number of syncs the disk can do, not to
 * the number of messages.
 *
 * <p>A commit writes and then forces (fsyncs) on this same thread, and changes arriving meanwhile wait in the queue
 * for the next one. Commits are deliberately not pipelined (forced on a second thread while this one goes on):
 * both variants measured on the broker, writing each group as soon as it was due and writing only once the
 * previous force had ended, delivered no more and cost more CPU per durable message, the first through more and
 * smaller commits, the second through a wake-up of this thread per change during each force; a durable publisher
 * is held by its window over the commit's latency, which neither shortens (docs/BENCHMARKS.md, section 16).
 *
 * <p>Changes that no sync waits for are committed at the latest {@link #IDLE_COMMIT_MILLIS} after they were
 * applied, and {@link Journal#maintain() maintenance} runs when the thread is idle.
 *
 * <p>Changes submitted between {@link #beginGroup()} and {@link #endGroup()} on one thread are committed together
 * or not at all: no commit is made while a group is open in the applied changes. Other threads' changes still go
 * in between, in submission order, so a group never reorders anything; it only holds the next commit back until
 * its end is applied, which is microseconds, since a group is submitted by one thread without waiting.
 *
 * <p>The first failure (a change or a commit throwing, typically an I/O error such as a full disk) is final: the
 * pending syncs and every later one complete exceptionally with a {@link StoreException} that names the cause, and
 * later changes are not applied. Refusing all acknowledgements from then on, rather than acknowledging some and
 * losing others, is what keeps an acknowledgement a promise.
 */
final class GroupCommitter implements AutoCloseable {

  /** How long applied changes may stay uncommitted when nothing waits for them. */
  static final long IDLE_COMMIT_MILLIS = 1_000;
  /** How often {@link Journal#maintain()} runs, at most. */
  static final long MAINTENANCE_MILLIS = 10_000;
  /** A commit is forced after this many changes even if more keep arriving, so that syncs never wait unboundedly. */
  static final int MAX_CHANGES_PER_COMMIT = 8_192;

  /** How long the writer parks between looks for the end of an open group it must commit after. */
  private static final long GROUP_END_WAIT_NANOS = 20_000;

  private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());

  /** The store's side: what a commit and maintenance do. */
  interface Journal {

    /** Writes every applied change, not yet forced to the device. Called only on the committer's thread. */
    void write() throws Exception;

    /** Forces every write made so far to the device. Called only on the committer's thread, after a write. */
    void force() throws Exception;

    /** Housekeeping between commits (compaction). */
    void maintain() throws Exception;
  }

  private final Journal journal;
  private final SyncPolicy policy;
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  /** Items queued and not yet taken by the committer's thread. */
  private final AtomicInteger backlog = new AtomicInteger();
  private final Thread thread;
  private final LongAdder commits = new LongAdder();
  private final LongAdder syncs = new LongAdder();
  private final LongAdder commitNanos = new LongAdder();
  private final LongAdder forces = new LongAdder();
  private final LongAdder forceNanos = new LongAdder();
  private volatile boolean sleeping;
  private volatile boolean closing;
  /** Set by the thread just before its last drain: work enqueued after that drain is refused by its submitter. */
  private volatile boolean terminated;
  private volatile StoreException failure;

  GroupCommitter(String threadName, Journal journal, SyncPolicy policy) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Applies {@code change} on the committer's thread after every change submitted before it. */
  void submit(Runnable change) {
    if (failure == null && !closing) {
      enqueue(change);
    }
  }

  /**
   * Opens an atomic group on the calling thread: every change it submits until the matching {@link #endGroup()} is
   * in the same commit. Groups nest; call {@code endGroup} in a {@code finally}, since a group left open holds every
   * later commit back.
   */
  void beginGroup() {
    enqueue(GroupMarker.BEGIN); // markers are queued even while closing, so that the last commit sees the end
  }

  /** Closes the calling thread's innermost group opened by {@link #beginGroup()}. */
  void endGroup() {
    enqueue(GroupMarker.END);
  }

  /** Completes once every change submitted before this call is committed (and forced, per the sync policy). */
  CompletableFuture<Void> sync() {
    StoreException failed = failure;
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    if (closing) {
      return CompletableFuture.failedFuture(new StoreException("the store is closed"));
    }
    SyncRequest request = new SyncRequest();
    enqueue(request);
    if (terminated) {
      request.future.completeExceptionally(new StoreException("the store is closed"));
    }
    return request.future;
  }

  /** The failure that stopped the store, or null. */
  StoreException failure() {
    return failure;
  }

  /** Commits (groups written) so far, each completing any number of syncs. */
  long commitCount() {
    return commits.sum();
  }

  /** Forces (fsyncs) done so far: one after each commit under {@link SyncPolicy#FSYNC}, else one a second. */
  long forceCount() {
    return forces.sum();
  }

  /** Total time spent forcing, in nanoseconds. */
  long forceNanos() {
    return forceNanos.sum();
  }

  /** Syncs completed successfully so far. */
  long syncCount() {
    return syncs.sum();
  }

  /** Total time spent writing commits, in nanoseconds. */
  long commitNanos() {
    return commitNanos.sum();
  }

  /** Applies, commits and forces everything submitted, then stops the thread. Blocking; idempotent. */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs {@code task} on the committer's thread after every change submitted before it and returns its result
   * (blocking): a consistent read of the applied state. Throws the store's failure if it has failed or closed.
   */
  <T> T call(Supplier<T> task) {
    Call<T> call = new Call<>(task);
    enqueue(call);
    if (terminated) {
      call.result.completeExceptionally(new StoreException("the store is closed"));
    }
    try {
      return call.result.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
  }

  /** Changes and syncs submitted and not yet taken up by the committer's thread: how far behind it is. */
  int backlog() {
    return backlog.get();
  }

  private void enqueue(Object item) {
    backlog.incrementAndGet();
    queue.add(item);
    if (sleeping) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    try {
      loop();
    } finally {
      terminated = true;
      StoreException closed = failure != null ? failure : new StoreException("the store is closed");
      for (Object item = queue.poll(); item != null; item = queue.poll()) {
        if (item instanceof SyncRequest request) {
          request.future.completeExceptionally(closed);
        } else if (item instanceof Call<?> call) {
          call.result.completeExceptionally(closed);
        }
      }
    }
  }

  private void loop() {
    List<SyncRequest> waiting = new ArrayList<>();
    int applied = 0;
    int openGroups = 0;
    long lastCommit = System.nanoTime();
    long lastForce = lastCommit;
    long lastMaintenance = lastCommit;
    while (true) {
      Object item = queue.poll();
      if (item != null) {
        backlog.decrementAndGet();
      }
      if (item instanceof SyncRequest request) {
        waiting.add(request);
      } else if (item instanceof GroupMarker marker) {
        openGroups += marker.delta;
      } else if (item != null) {
        apply((Runnable) item);
        applied++;
      }
      if (item != null && applied < MAX_CHANGES_PER_COMMIT) {
        continue; // drain what is queued first: everything applied now shares the next commit
      }
      long now = System.nanoTime();
      boolean idleCommitDue = applied > 0 && now - lastCommit >= TimeUnit.MILLISECONDS.toNanos(IDLE_COMMIT_MILLIS);
      boolean commitDue = !waiting.isEmpty() || applied >= MAX_CHANGES_PER_COMMIT || idleCommitDue
          || closing && applied > 0;
      if (commitDue && openGroups > 0 && !(closing && item == null)) {
        // a group's end is on its way from a thread that does not wait: take it before committing
        if (item == null) {
          LockSupport.parkNanos(this, GROUP_END_WAIT_NANOS);
        }
        continue;
      }
      if (commitDue) {
        boolean force = policy == SyncPolicy.FSYNC
            || now - lastForce >= TimeUnit.MILLISECONDS.toNanos(IDLE_COMMIT_MILLIS) || closing;
        commit(waiting, force);
        waiting.clear();
        applied = 0;
        lastCommit = System.nanoTime();
        if (force) {
          lastForce = lastCommit;
        }
        continue;
      }
      if (closing) {
        return; // queue drained and committed: submit and sync refuse new work once closing is set
      }
      if (now - lastMaintenance >= TimeUnit.MILLISECONDS.toNanos(MAINTENANCE_MILLIS)) {
        maintain();
        lastMaintenance = System.nanoTime();
        continue;
      }
      sleeping = true;
      if (queue.isEmpty() && !closing) {
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(IDLE_COMMIT_MILLIS));
      }
      sleeping = false;
    }
  }

  private void apply(Runnable change) {
    if (failure != null) {
      if (change instanceof Call<?> call) {
        call.result.completeExceptionally(failure);
      }
      return;
    }
    if (change instanceof Call<?> call) {
      call.run(); // a read: its exception goes to its caller and does not stop the store
      return;
    }
    try {
      change.run();
    } catch (RuntimeException | Error e) {
      fail("applying a change failed", e);
    }
  }

  /** Writes the applied changes and, with {@code force}, forces them; then completes the syncs that waited. */
  private void commit(List<SyncRequest> waiting, boolean force) {
    timed(journal::write, commits, commitNanos, "committing failed");
    if (force) {
      timed(journal::force, forces, forceNanos, "forcing to the device failed");
    }
    complete(waiting);
  }

  /** Runs one step of a commit unless the store has failed, counting and timing it; its failure stops the store. */
  private void timed(JournalStep step, LongAdder count, LongAdder nanos, String failing) {
    if (failure != null) {
      return;
    }
    long start = System.nanoTime();
    try {
      step.run();
      count.increment();
      nanos.add(System.nanoTime() - start);
    } catch (Exception | Error e) {
      fail(failing, e);
    }
  }

  /** A journal call that may throw. */
  private interface JournalStep {
    void run() throws Exception;
  }

  /** Completes syncs: successfully unless the store has failed. */
  private void complete(List<SyncRequest> waiting) {
    StoreException failed = failure;
    for (SyncRequest request : waiting) {
      if (failed == null) {
        syncs.increment();
        request.future.complete(null);
      } else {
        request.future.completeExceptionally(failed);
      }
    }
  }

  private void maintain() {
    if (failure != null) {
      return;
    }
    try {
      journal.maintain();
    } catch (Exception | Error e) {
      // compaction is an optimisation: a failure of it alone does not stop the store, but a failing disk will fail
      // the next commit too
      LOG.log(System.Logger.Level.WARNING, "store maintenance failed: " + e, e);
    }
  }

  private void fail(String what, Throwable cause) {
    StoreException failed = new StoreException("the durable store failed (" + what + ": " + describe(cause)
        + "); no QoS 1/2 message is acknowledged until the broker is restarted with a working store", cause);
    failure = failed;
    LOG.log(System.Logger.Level.ERROR, failed.getMessage(), cause);
  }

  /** The innermost message of a failure, where the operating system's reason (e.g. "No space left") usually is. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root == failure || message == null ? String.valueOf(failure.getMessage())
        : failure.getMessage() + "; caused by " + root.getClass().getSimpleName() + ": " + message;
  }

  /** The start and end of an atomic group in the queue: a change of the count of open groups. */
  private enum GroupMarker {
    BEGIN(1), END(-1);

    final int delta;

    GroupMarker(int delta) {
      this.delta = delta;
    }
  }

  private static final class SyncRequest {
    final CompletableFuture<Void> future = new CompletableFuture<>();
  }

  private static final class Call<T> implements Runnable {
    final Supplier<T> task;
    final CompletableFuture<T> result = new CompletableFuture<>();

    Call(Supplier<T> task) {
      this.task = task;
    }

    @Override
    public void run() {
      try {
        result.complete(task.get());
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    }
  }
}
