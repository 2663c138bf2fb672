package io.braid.pubsub.broker;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a broker's sessions run on while they have no connection (deliveries to offline sessions, sessions
 * taken over or handed over in a cluster): a pool of the broker's own. The JDK's common pool, used before, has one
 * thread on a two-core machine and is shared with whatever else the application runs there; with 1,000 sessions
 * moving at once every step of every move queued behind it (BENCHMARKS.md section 22).
 */
public final class OfflinePool {

  private OfflinePool() {
  }

  /**
   * At least four threads, one per core above that, named {@code threadPrefix} and a number: the work waits briefly
   * on the store (a read, a lock), and one waiting task must not hold up every offline session. A fork-join pool adds
   * a thread for a task that waits on another. The cluster's session lookups use one too.
   */
  public static ForkJoinPool create(String threadPrefix) {
    AtomicInteger count = new AtomicInteger();
    return new ForkJoinPool(Math.max(4, Runtime.getRuntime().availableProcessors()), pool -> {
      ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      thread.setName(threadPrefix + count.incrementAndGet());
      return thread;
    }, null, true);
  }

  /** Lets {@code pool} finish what it was given and end its threads; nothing if null (the broker was given one). */
  static void shutdown(ForkJoinPool pool) {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
