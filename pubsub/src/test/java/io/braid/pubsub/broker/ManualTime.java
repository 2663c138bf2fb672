package io.braid.pubsub.broker;

import io.braid.pubsub.message.BrokerClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock and scheduler that move only when a test says so: expiry and will delays without waiting. */
final class ManualTime implements BrokerClock, BrokerScheduler {

  private long now = 1_000_000;
  private final List<Timer> timers = new ArrayList<>();

  @Override
  public synchronized long nowMillis() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(long delayMillis, Runnable task) {
    Timer timer = new Timer(now + delayMillis, task);
    timers.add(timer);
    return () -> timer.cancelled = true;
  }

  /** Moves the clock forward, running the timers that fall due, in due order. */
  void advanceSeconds(long seconds) {
    long target;
    synchronized (this) {
      target = now + seconds * 1000;
    }
    while (true) {
      Timer next;
      synchronized (this) {
        next = timers.stream().filter(t -> !t.cancelled && t.dueAt <= target)
            .min(Comparator.comparingLong(t -> t.dueAt)).orElse(null);
        if (next == null) {
          now = target;
          return;
        }
        timers.remove(next);
        now = Math.max(now, next.dueAt);
      }
      next.task.run();
    }
  }

  synchronized int pendingTimers() {
    return (int) timers.stream().filter(t -> !t.cancelled).count();
  }

  private static final class Timer {
    final long dueAt;
    final Runnable task;
    volatile boolean cancelled;

    Timer(long dueAt, Runnable task) {
      this.dueAt = dueAt;
      this.task = task;
    }
  }
}
