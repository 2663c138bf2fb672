package io.braid.pubsub.broker;

/** Why a message was not delivered to a session that matched it; each is counted in {@link BrokerStats}. */
public enum DropReason {
  /** The session's or the subscription's queue was full; counted by policy too ({@link BrokerStats#overflowed}). */
  QUEUE_FULL,
  /** Replaced by a newer message of its topic in a subscription that conflates ({@link QueueOverflowPolicy#CONFLATE}). */
  CONFLATED,
  /** Its message expiry interval elapsed before it could be sent. */
  EXPIRED,
  /** QoS 0 for a disconnected session, which is not queued unless configured. */
  QOS0_OFFLINE,
  /**
   * Larger than the subscriber accepts (its SETTINGS {@code maxFramePayload}): never sent, and treated as delivered
   * [MQTT-3.1.2-25].
   */
  TOO_LARGE
}
