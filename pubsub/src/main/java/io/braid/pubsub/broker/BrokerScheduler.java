package io.braid.pubsub.broker;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Timers for session expiry and will delay. The server backs it with Vert.x timers; tests with a manual clock.
 * Tasks may run on any thread; the broker hops to the session's executor itself.
 */
@FunctionalInterface
public interface BrokerScheduler {

  /** Runs {@code task} once after {@code delayMillis}; the returned handle cancels it. */
  Cancellable schedule(long delayMillis, Runnable task);

  /** A daemon thread of its own for a broker's timers, cancelled tasks removed at once. */
  static ScheduledExecutorService timerThread() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "braid-broker-timers");
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** A scheduler on a JDK {@link ScheduledExecutorService}. */
  static BrokerScheduler of(ScheduledExecutorService executor) {
    return (delayMillis, task) -> {
      ScheduledFuture<?> future = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
      return () -> future.cancel(false);
    };
  }

  /** Cancels a scheduled task; a no-op if it already ran. */
  @FunctionalInterface
  interface Cancellable {
    Cancellable NONE = () -> { };

    void cancel();
  }
}
