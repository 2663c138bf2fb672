package io.braid.pubsub.broker;

import io.braid.pubsub.topic.TopicFilter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a subscriber learns of its losses: the messages of a subscription dropped (queue full, too large, dropped
 * oldest) are counted until a later message of the same subscription can carry the count, right after the gap
 * ({@link OutboundEntry#droppedBefore}).
 *
 * <p>{@link #countDropped} and {@link #takeDropped} are called by publishers on any thread; the rest on the session's
 * executor.
 */
final class DropNotices {

  /**
   * Messages dropped for a full queue per subscription, not yet attached to a later message: the next message
   * offered for the subscription takes the count ({@link #takeDropped}). Any thread.
   */
  private final Map<TopicFilter, AtomicLong> dropped = new ConcurrentHashMap<>();
  /**
   * Drops counted on the executor (oldest dropped, too large) with no later message in the lane yet to carry them:
   * the next message queued for the subscription takes them.
   */
  private final Map<TopicFilter, Long> carried = new HashMap<>();

  /** A message for {@code subscription} was dropped as it was offered (the newest). Any thread. */
  void countDropped(TopicFilter subscription) {
    dropped.computeIfAbsent(subscription, filter -> new AtomicLong()).incrementAndGet();
  }

  /**
   * The drops counted for {@code subscription} since the last call: the message being offered now follows them.
   * Called by the publisher that offers it, in its own order, so a publisher's gap is placed exactly. Any thread.
   */
  long takeDropped(TopicFilter subscription) {
    if (dropped.isEmpty()) {
      return 0;
    }
    AtomicLong count = dropped.get(subscription);
    return count == null ? 0 : count.getAndSet(0);
  }

  /** {@code entry} is queued: it carries the drops no earlier message of its lane could. */
  void attachCarried(OutboundEntry entry) {
    if (!carried.isEmpty()) {
      Long before = carried.remove(entry.subscription);
      if (before != null) {
        entry.droppedBefore += before;
      }
    }
  }

  /** {@code count} messages of the lane were dropped before its current head: the head, or the next one, tells. */
  void carry(OutboundLane lane, long count) {
    if (count == 0) {
      return;
    }
    OutboundEntry next = lane.oldestQueued();
    if (next != null) {
      next.droppedBefore += count;
    } else {
      carried.merge(lane.subscription, count, Long::sum);
    }
  }

  /** {@code count} messages of the lane were dropped after every queued one: the next one queued tells. */
  void carryToNext(TopicFilter subscription, long count) {
    carried.merge(subscription, count, Long::sum);
  }

  /** The subscription is gone: its counts with it. */
  void forget(TopicFilter subscription) {
    dropped.remove(subscription);
    carried.remove(subscription);
  }

  void clear() {
    dropped.clear();
    carried.clear();
  }
}
