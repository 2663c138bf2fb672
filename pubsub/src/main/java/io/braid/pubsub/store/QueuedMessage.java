package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.Objects;

/**
 * One QoS 1 or 2 message waiting for, or in flight to, one persistent session.
 *
 * @param sequence the session's sequence number for it: unique within the session, increasing in the order each
 *     publisher's messages were queued; its packet identifier is {@link #packetId()}
 * @param subscription the filter of the subscription it travels for (which decides where and in what order the
 *     connection delivers it)
 * @param message the message (the store may keep one copy for all sessions that queue it)
 * @param qos the QoS it is delivered with (1 or 2)
 * @param retain the RETAIN flag it is delivered with
 * @param subscriptionIdentifiers the identifiers of the session's matching subscriptions
 * @param progress how far its delivery went: only a message sent before is resent with DUP, and a released one
 *     only as PUBREL
 */
public record QueuedMessage(long sequence, TopicFilter subscription, ApplicationMessage message, int qos,
    boolean retain, List<Integer> subscriptionIdentifiers, Progress progress) {

  /** How far a queued message's delivery went, as recorded in the store. */
  public enum Progress {
    /** Never sent to the subscriber: its first delivery carries DUP = 0. */
    WAITING,
    /** Sent at least once and not acknowledged: a redelivery carries DUP = 1 [MQTT-3.3.1-1]. */
    SENT,
    /**
     * QoS 2 only: the subscriber sent PUBREC and the broker PUBREL, so on redelivery the broker resends PUBREL,
     * not the PUBLISH (MQTT 5.0 §4.4).
     */
    RELEASED
  }

  public QueuedMessage {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(progress, "progress");
    if (qos != 1 && qos != 2) {
      throw new IllegalArgumentException("only QoS 1 and 2 messages are queued durably, not QoS " + qos);
    }
    subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
  }

  /**
   * The packet identifier the message is sent with, fixed by its sequence number so that a redelivery after a
   * restart reuses it, which is what lets the subscriber discard a QoS 2 duplicate (MQTT 5.0 §4.3.3).
   */
  public int packetId() {
    return packetIdOf(sequence);
  }

  /** The packet identifier (1..65535) of sequence number {@code sequence}. */
  public static int packetIdOf(long sequence) {
    return (int) Math.floorMod(sequence, 65_535L) + 1;
  }

  /** Sent at least once (or released). */
  public boolean sent() {
    return progress != Progress.WAITING;
  }

  public boolean released() {
    return progress == Progress.RELEASED;
  }

  /** This message with its delivery at least as far as {@code reached}: progress never goes back. */
  public QueuedMessage reached(Progress reached) {
    if (reached.compareTo(progress) <= 0) {
      return this;
    }
    return new QueuedMessage(sequence, subscription, message, qos, retain, subscriptionIdentifiers, reached);
  }
}
