package io.braid.pubsub.broker;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.HashMap;
import java.util.Map;

/**
 * The seams between history replays and live deliveries of one session: per subscription that started in history,
 * per topic, the newest offset its replay covered. A live delivery at or below it repeats the replay (it was
 * published before the history was read, and routed after the subscription existed); it is kept while the
 * subscription exists, since such a delivery may come after the replay is over.
 *
 * <p>Confined to the session's executor.
 */
final class ReplaySeams {

  private final Map<TopicFilter, Map<TopicName, Long>> replayed = new HashMap<>();

  /** {@code subscription}'s replay covered each topic up to the offset given. */
  void covered(TopicFilter subscription, Map<TopicName, Long> upTo) {
    if (!upTo.isEmpty()) {
      replayed.computeIfAbsent(subscription, filter -> new HashMap<>()).putAll(upTo);
    }
  }

  /**
   * Whether a live entry repeats a message of its subscription's replay. Retained messages sent on subscribe are not
   * live deliveries and always go.
   */
  boolean isDuplicate(OutboundEntry entry) {
    if (replayed.isEmpty() || entry.message.position() == null || entry.retain) {
      return false;
    }
    Map<TopicName, Long> upTo = replayed.get(entry.subscription);
    Long newest = upTo == null ? null : upTo.get(entry.message.topic());
    return newest != null && entry.message.position().offset() <= newest;
  }

  void forget(TopicFilter subscription) {
    replayed.remove(subscription);
  }

  void clear() {
    replayed.clear();
  }
}
