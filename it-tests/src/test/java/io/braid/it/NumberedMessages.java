package io.braid.it;

import io.braid.client.BraidClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Messages numbered "m0", "m1", ... by one publisher, and what a subscriber received of them: the checks of the
 * cluster tests that no acknowledged message is lost and that the publisher's order holds.
 */
final class NumberedMessages {

  private NumberedMessages() {
  }

  /**
   * Publishes numbered messages to {@code topic} in batches of {@code batch}, each batch once the last is settled,
   * until {@code publishing} is cleared; adds each acknowledged number to {@code acknowledged} (a refused publish, as
   * when a node stops, is not acknowledged and may be lost). Returns how many it sent.
   */
  static int publishUntilStopped(BraidClient publisher, String topic, int qos, int batch, AtomicBoolean publishing,
      List<Integer> acknowledged) {
    return publishUntilStopped(publisher, topic, qos, batch, publishing, acknowledged, () -> 0, 1);
  }

  /**
   * {@link #publishUntilStopped(BraidClient, String, int, int, AtomicBoolean, List)}, but no batch starts while
   * {@code backlog} (messages acknowledged and not yet received) is {@code maxBacklog} or more: the subscriber's
   * queue then stays below the broker's limit, past which its overflow policy drops messages, however fast this
   * machine publishes and however long the subscriber is away.
   */
  static int publishUntilStopped(BraidClient publisher, String topic, int qos, int batch, AtomicBoolean publishing,
      List<Integer> acknowledged, IntSupplier backlog, int maxBacklog) {
    int next = 0;
    while (publishing.get()) {
      if (backlog.getAsInt() >= maxBacklog) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pacing the load, not waiting for an event
        continue;
      }
      List<Future<Void>> sent = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        int index = next++;
        sent.add(publisher.publish(topic, Buffer.buffer("m" + index), qos).onSuccess(done -> acknowledged.add(index)));
      }
      Future.join(sent).transform(all -> Future.succeededFuture()).await();
    }
    return next;
  }

  /** The acknowledged numbers not received, as runs ("500-849 32500-33049"), or "none". */
  static String missing(List<Integer> acknowledged, Set<Integer> received) {
    StringBuilder runs = new StringBuilder();
    int start = -1;
    int last = -2;
    for (int index : acknowledged.stream().filter(i -> !received.contains(i)).sorted().toList()) {
      if (index != last + 1) {
        if (start >= 0) {
          runs.append(start).append('-').append(last).append(' ');
        }
        start = index;
      }
      last = index;
    }
    return start < 0 ? "none" : runs.append(start).append('-').append(last).toString();
  }

  /** The numbers of the received payloads. */
  static Set<Integer> indices(Queue<String> received) {
    Set<Integer> indices = new HashSet<>();
    received.forEach(payload -> indices.add(Integer.parseInt(payload.substring(1))));
    return indices;
  }

  /** The numbers in the order first received (a redelivery after a failover may repeat one). */
  static List<Integer> firstOccurrences(Queue<String> received) {
    Set<Integer> seen = new HashSet<>();
    List<Integer> firsts = new ArrayList<>();
    for (String payload : received) {
      int index = Integer.parseInt(payload.substring(1));
      if (seen.add(index)) {
        firsts.add(index);
      }
    }
    return firsts;
  }
}
