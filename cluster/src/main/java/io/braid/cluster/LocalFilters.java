package io.braid.cluster;

import io.braid.pubsub.topic.TopicFilter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The filters this node has subscribers for, counted: a filter is announced to the cluster when its first local
 * subscription appears and withdrawn when its last one goes (a shared group's members each count).
 *
 * <p><b>Threading:</b> {@link #contains} is lock-free (the publish path); the counting methods are serialized on
 * this object's monitor.
 */
final class LocalFilters {

  private final ConcurrentHashMap<TopicFilter, Integer> counts = new ConcurrentHashMap<>();

  /** Counts one more subscription; true if the filter is new here. */
  synchronized boolean increment(TopicFilter filter) {
    return counts.merge(filter, 1, Integer::sum) == 1;
  }

  /** Counts one subscription less; true if it was the filter's last here. */
  synchronized boolean decrement(TopicFilter filter) {
    Integer count = counts.get(filter);
    if (count == null) {
      return false;
    }
    if (count == 1) {
      counts.remove(filter);
      return true;
    }
    counts.put(filter, count - 1);
    return false;
  }

  boolean contains(TopicFilter filter) {
    return counts.containsKey(filter);
  }

  /** A snapshot of the filters. */
  Set<TopicFilter> filters() {
    return Set.copyOf(counts.keySet());
  }
}
