package io.braid.pubsub.broker;

/**
 * What a session does with a message when its queue of messages waiting to be sent is full
 * ({@link BrokerOptions#maxQueuedMessages()}, or a subscription's own {@link SubscriptionLimit}). Every drop is
 * counted in {@link BrokerStats} by policy and reported to the subscriber with the next message of the subscription.
 */
public enum QueueOverflowPolicy {
  /** Refuse the new message (as Mosquitto does): what is queued is delivered in order. */
  DROP_NEWEST,
  /** Drop the oldest waiting message to make room: the subscriber gets the most recent messages. */
  DROP_OLDEST,
  /**
   * Keep only the latest waiting message per topic: a newer one replaces the waiting one of its topic (counted as
   * {@link DropReason#CONFLATED}); past the limit, the oldest is dropped. For state that only matters as of now (a
   * price, a position).
   */
  CONFLATE,
  /**
   * Refuse the new message and, if the client is connected, close its connection with
   * {@link DisconnectCause#QUOTA_EXCEEDED}: a subscriber that cannot keep up learns it at once and reconnects to
   * what its session kept. A disconnected session drops the newest, as {@link #DROP_NEWEST}.
   */
  DISCONNECT
}
