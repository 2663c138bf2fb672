package io.braid.pubsub.broker;

import io.braid.pubsub.topic.TopicFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The overflow policy and queue limit of each subscription of a session: its own {@link SubscriptionLimit} where it
 * asked for one, else the broker's options. Read by publishers on any thread (to refuse a message before it is
 * queued) and by the session's executor (to drop once it is); set by the subscribing connection.
 */
final class QueueLimits {

  private final Map<TopicFilter, SubscriptionLimit> limits = new ConcurrentHashMap<>();
  private final Supplier<BrokerOptions> options;

  QueueLimits(Supplier<BrokerOptions> options) {
    this.options = options;
  }

  /** {@code subscription} uses {@code limit} from now on. */
  void set(TopicFilter subscription, SubscriptionLimit limit) {
    if (limit.equals(SubscriptionLimit.DEFAULT)) {
      limits.remove(subscription);
    } else {
      limits.put(subscription, limit);
    }
  }

  void remove(TopicFilter subscription) {
    limits.remove(subscription);
  }

  void clear() {
    limits.clear();
  }

  QueueOverflowPolicy policy(TopicFilter subscription) {
    SubscriptionLimit limit = limits.get(subscription);
    return limit == null || limit.policy() == null ? options.get().overflowPolicy() : limit.policy();
  }

  /** How many messages {@code subscription} may queue: its own limit, never more than the session's. */
  int maxQueued(TopicFilter subscription) {
    int sessionMax = options.get().maxQueuedMessages();
    SubscriptionLimit limit = limits.get(subscription);
    return limit == null || limit.maxQueued() == 0 ? sessionMax : Math.min(sessionMax, limit.maxQueued());
  }

  int sessionMax() {
    return options.get().maxQueuedMessages();
  }

  /** Whether the policy makes room by dropping queued messages (so a new one is always taken first). */
  static boolean dropsQueued(QueueOverflowPolicy policy) {
    return policy == QueueOverflowPolicy.DROP_OLDEST || policy == QueueOverflowPolicy.CONFLATE;
  }
}
