package io.braid.pubsub.broker;

import java.util.Objects;

/**
 * Limits and policies of a {@link Broker}. Immutable.
 *
 * @param maxQueuedMessages messages per session waiting to be sent (not counting those in flight); past it the
 *     {@link #overflowPolicy()} applies. Bounds the memory a slow or absent subscriber costs.
 * @param overflowPolicy what to drop when a session's queue is full
 * @param queueQos0WhenOffline whether QoS 0 messages are queued for a disconnected persistent session (MQTT lets
 *     the server choose; off by default, as in Mosquitto)
 * @param maxSessionExpiryInterval the largest session expiry interval granted, in seconds; a client asking more
 *     gets this (MQTT 5.0 §3.2.2.3.2)
 * @param maxInflight the most QoS 1/2 messages in flight to one client, whatever its Receive Maximum
 */
public record BrokerOptions(int maxQueuedMessages, QueueOverflowPolicy overflowPolicy, boolean queueQos0WhenOffline,
    long maxSessionExpiryInterval, int maxInflight) {

  /** 1,000 queued messages, drop newest, no offline QoS 0, sessions up to 7 days, 100 in flight. */
  public static final BrokerOptions DEFAULTS =
      new BrokerOptions(1_000, QueueOverflowPolicy.DROP_NEWEST, false, 7 * 24 * 3600, 100);

  public BrokerOptions {
    if (maxQueuedMessages < 1) {
      throw new IllegalArgumentException("maxQueuedMessages must be at least 1, was " + maxQueuedMessages);
    }
    Objects.requireNonNull(overflowPolicy, "overflowPolicy");
    if (maxSessionExpiryInterval < 0 || maxSessionExpiryInterval > Session.NEVER_EXPIRES) {
      throw new IllegalArgumentException("maxSessionExpiryInterval must be 0..2^32-1, was " + maxSessionExpiryInterval);
    }
    if (maxInflight < 1 || maxInflight > 65_535) {
      throw new IllegalArgumentException("maxInflight must be 1..65535, was " + maxInflight);
    }
  }

  public BrokerOptions withMaxQueuedMessages(int maxQueuedMessages) {
    return new BrokerOptions(maxQueuedMessages, overflowPolicy, queueQos0WhenOffline, maxSessionExpiryInterval,
        maxInflight);
  }

  public BrokerOptions withOverflowPolicy(QueueOverflowPolicy overflowPolicy) {
    return new BrokerOptions(maxQueuedMessages, overflowPolicy, queueQos0WhenOffline, maxSessionExpiryInterval,
        maxInflight);
  }

  public BrokerOptions withQueueQos0WhenOffline(boolean queueQos0WhenOffline) {
    return new BrokerOptions(maxQueuedMessages, overflowPolicy, queueQos0WhenOffline, maxSessionExpiryInterval,
        maxInflight);
  }

  public BrokerOptions withMaxSessionExpiryInterval(long maxSessionExpiryInterval) {
    return new BrokerOptions(maxQueuedMessages, overflowPolicy, queueQos0WhenOffline, maxSessionExpiryInterval,
        maxInflight);
  }

  public BrokerOptions withMaxInflight(int maxInflight) {
    return new BrokerOptions(maxQueuedMessages, overflowPolicy, queueQos0WhenOffline, maxSessionExpiryInterval,
        maxInflight);
  }
}
