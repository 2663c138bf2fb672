package io.braid.pubsub.message;

import io.braid.pubsub.topic.TopicName;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A message as the broker holds it between a publisher and its subscribers (MQTT 5.0 "Application Message"):
 * the topic, the payload, the QoS and RETAIN flag it was published with, and the properties forwarded unaltered
 * to every subscriber [MQTT-3.3.2-15..20].
 *
 * <p>Immutable by contract: the arrays are not copied, so never modify {@link #payload} or {@link #correlationData}
 * after constructing a message (the broker shares one instance among all its deliveries and the store).
 *
 * @param id broker-assigned identifier, unique and increasing per broker (0 before the broker accepts the message);
 *     a publisher's messages get increasing ids in the order it published them
 * @param publisherId the client identifier of the publishing session (for No Local)
 * @param topic the topic name published to
 * @param payload the payload bytes (possibly empty)
 * @param qos the QoS it was published with
 * @param retain the RETAIN flag it was published with
 * @param createdAtMillis when the broker received it, in {@link BrokerClock} milliseconds; expiry counts from here
 * @param messageExpiryInterval lifetime in seconds, or {@link #NO_EXPIRY}
 * @param payloadFormatIndicator 0 unspecified bytes, 1 UTF-8
 * @param contentType the content type, or null
 * @param responseTopic the response topic, or null
 * @param correlationData the correlation data, or null
 * @param userProperties the user properties, in order
 * @param position where it stands in its topic's history, or null if the topic keeps none
 */
public record ApplicationMessage(
    long id,
    String publisherId,
    TopicName topic,
    byte[] payload,
    int qos,
    boolean retain,
    long createdAtMillis,
    long messageExpiryInterval,
    int payloadFormatIndicator,
    String contentType,
    String responseTopic,
    byte[] correlationData,
    List<MessageProperty> userProperties,
    HistoryPosition position) {

  /** {@link #messageExpiryInterval} of a message that never expires. */
  public static final long NO_EXPIRY = -1;

  public ApplicationMessage {
    Objects.requireNonNull(publisherId, "publisherId");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("QoS must be 0, 1 or 2 [MQTT-3.3.1-4], was " + qos);
    }
    if (messageExpiryInterval < NO_EXPIRY || messageExpiryInterval > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("message expiry interval must be 0..2^32-1 seconds, was "
          + messageExpiryInterval);
    }
    userProperties = List.copyOf(userProperties);
  }

  /** A message with no properties, not yet accepted by a broker (id 0, created at 0). */
  public static ApplicationMessage of(String publisherId, String topic, byte[] payload, int qos, boolean retain) {
    return new ApplicationMessage(0, publisherId, TopicName.parse(topic), payload, qos, retain, 0, NO_EXPIRY, 0,
        null, null, null, List.of(), null);
  }

  /** This message as accepted by the broker: with its id and reception time. */
  public ApplicationMessage accepted(long id, long createdAtMillis) {
    return new ApplicationMessage(id, publisherId, topic, payload, qos, retain, createdAtMillis,
        messageExpiryInterval, payloadFormatIndicator, contentType, responseTopic, correlationData, userProperties,
        position);
  }

  /** This message at {@code position} in its topic's history. */
  public ApplicationMessage at(HistoryPosition position) {
    return new ApplicationMessage(id, publisherId, topic, payload, qos, retain, createdAtMillis,
        messageExpiryInterval, payloadFormatIndicator, contentType, responseTopic, correlationData, userProperties,
        position);
  }

  /** This message with a different message expiry interval (seconds, or {@link #NO_EXPIRY}). */
  public ApplicationMessage withMessageExpiryInterval(long seconds) {
    return new ApplicationMessage(id, publisherId, topic, payload, qos, retain, createdAtMillis, seconds,
        payloadFormatIndicator, contentType, responseTopic, correlationData, userProperties, position);
  }

  /** True if the message has an expiry interval and it has elapsed at {@code nowMillis} (MQTT 5.0 §3.3.2.3.3). */
  public boolean isExpired(long nowMillis) {
    return messageExpiryInterval != NO_EXPIRY && nowMillis - createdAtMillis >= messageExpiryInterval * 1000;
  }

  /**
   * The expiry interval to send to a subscriber at {@code nowMillis}: the received value minus the time the message
   * has waited in the broker [MQTT-3.3.2-6], rounded up so that an unexpired message never shows 0; or
   * {@link #NO_EXPIRY}.
   */
  public long remainingExpiryInterval(long nowMillis) {
    if (messageExpiryInterval == NO_EXPIRY) {
      return NO_EXPIRY;
    }
    long remainingMillis = messageExpiryInterval * 1000 - (nowMillis - createdAtMillis);
    return Math.max(0, (remainingMillis + 999) / 1000);
  }

  /** True for a RETAIN publish with an empty payload, which clears the topic's retained message [MQTT-3.3.1-6]. */
  public boolean clearsRetained() {
    return retain && payload.length == 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApplicationMessage that
        && id == that.id && qos == that.qos && retain == that.retain && createdAtMillis == that.createdAtMillis
        && messageExpiryInterval == that.messageExpiryInterval
        && payloadFormatIndicator == that.payloadFormatIndicator
        && publisherId.equals(that.publisherId) && topic.equals(that.topic) && Arrays.equals(payload, that.payload)
        && Objects.equals(contentType, that.contentType) && Objects.equals(responseTopic, that.responseTopic)
        && Arrays.equals(correlationData, that.correlationData) && userProperties.equals(that.userProperties)
        && Objects.equals(position, that.position);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, topic, Arrays.hashCode(payload), qos, retain);
  }

  @Override
  public String toString() {
    return "ApplicationMessage[id=" + id + ", publisherId=" + publisherId + ", topic=" + topic + ", payload="
        + payload.length + " bytes, qos=" + qos + ", retain=" + retain + ", createdAtMillis=" + createdAtMillis
        + ", messageExpiryInterval=" + messageExpiryInterval + (position == null ? "" : ", position=" + position)
        + "]";
  }
}
