package io.braid.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the event-loop threads of a Vert.x instance and reads their CPU time, so that a run can say
 * how busy the server's and the client's loops were and how much server CPU one message cost.
 * CPU time, unlike wall time, is not inflated while another process holds the core, which makes it
 * the steadier comparison on a shared machine.
 */
final class EventLoopThreads {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private EventLoopThreads() {}

  /** The event-loop threads of {@code vertx}, which has {@code eventLoops} of them. */
  static Future<List<Thread>> of(Vertx vertx, int eventLoops) {
    return EventLoopContexts.deploy(vertx, eventLoops).compose(EventLoopThreads::of);
  }

  /** The threads of {@code contexts}, each once. */
  static Future<List<Thread>> of(List<Context> contexts) {
    List<Future<Thread>> found = new ArrayList<>();
    for (Context context : contexts) {
      Promise<Thread> thread = Promise.promise();
      context.runOnContext(v -> thread.complete(Thread.currentThread()));
      found.add(thread.future());
    }
    return Future.all(found).map(all -> {
      Set<Thread> distinct = new LinkedHashSet<>();
      for (int i = 0; i < all.size(); i++) {
        distinct.add(all.resultAt(i));
      }
      return List.copyOf(distinct);
    });
  }

  /** Total CPU time of {@code threads} so far, in nanoseconds; -1 when it cannot be read. */
  static long cpuNanos(List<Thread> threads) {
    if (threads.isEmpty() || !THREADS.isThreadCpuTimeSupported()) {
      return -1;
    }
    long total = 0;
    for (Thread t : threads) {
      long cpu = THREADS.getThreadCpuTime(t.getId());
      if (cpu < 0) {
        return -1;
      }
      total += cpu;
    }
    return total;
  }
}
