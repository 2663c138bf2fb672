package io.braid.pubsub.broker;

/**
 * What one subscription asks for when its subscriber falls behind: its overflow policy and how many messages it may
 * queue. The session's {@link BrokerOptions} bound it: the queue is never longer than
 * {@link BrokerOptions#maxQueuedMessages()}, whatever the subscription asks.
 *
 * <p>Immutable.
 *
 * @param policy the policy, or null for the session's ({@link BrokerOptions#overflowPolicy()})
 * @param maxQueued the most messages the subscription queues, or 0 for the session's limit
 */
public record SubscriptionLimit(QueueOverflowPolicy policy, int maxQueued) {

  /** The session's policy and limit. */
  public static final SubscriptionLimit DEFAULT = new SubscriptionLimit(null, 0);

  public SubscriptionLimit {
    if (maxQueued < 0) {
      throw new IllegalArgumentException("a queue limit is 1 or more, or 0 for the session's, was " + maxQueued);
    }
  }
}
