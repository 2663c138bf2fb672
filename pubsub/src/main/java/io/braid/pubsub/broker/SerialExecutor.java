package io.braid.pubsub.broker;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor that can be changed: a session's tasks run
 * on its client's event loop while it is connected and on the broker's offline executor while it is not. Any thread
 * may submit; a task never runs concurrently with another task of the same executor, and each task sees the effects
 * of the ones before it (the queue and the running flag carry the happens-before edges).
 *
 * <p>A drain runs at most {@link #BATCH} tasks, then resubmits itself, so that one busy session cannot starve the
 * other connections sharing its event loop.
 */
final class SerialExecutor implements Executor {

  static final int BATCH = 64;
  private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  private volatile Executor delegate;

  SerialExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Later tasks run on {@code delegate}: a drain already running stops after its current task and continues there,
   * so that no task submitted after the move runs on the old delegate's thread.
   */
  void moveTo(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (scheduled.compareAndSet(false, true)) {
      delegate.execute(drain);
    }
  }

  private void drain() {
    Executor runningOn = delegate;
    for (int i = 0; i < BATCH; i++) {
      if (delegate != runningOn) {
        delegate.execute(drain); // moved: the rest runs on the new delegate's thread
        return;
      }
      Runnable task = tasks.poll();
      if (task == null) {
        scheduled.set(false);
        // a task added after the poll but before the flag was cleared saw the flag set and did not schedule
        if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.ERROR, "session task failed", e);
      }
    }
    delegate.execute(drain);
  }
}
