package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * PUBLISH (MQTT 5 §3.3). Sent by a client on a stream it opened for publishing (the first PUBLISH
 * opens it), and by the server as a delivery on the stream of the subscription it matched. At QoS 1
 * the receiver answers with a {@link PubAck}, at QoS 2 with a {@link PubRec} (then {@link PubRel},
 * {@link PubComp}), on the same stream.
 *
 * @param topic the topic name (syntax checked by the broker, not the codec)
 * @param payload the application message (may be empty); a slice of the received bytes when decoded
 * @param qos 0, 1 or 2
 * @param retain store as the topic's retained message (or, on a delivery, was retained)
 * @param dup this is a redelivery; only at QoS 1 and 2 [MQTT-3.3.1-2]
 * @param packetId 1..65535 at QoS 1 and 2, 0 (none) at QoS 0
 * @param messageExpiryInterval lifetime in seconds, 0..2^32-1, or {@link BraidMessage#ABSENT} for
 *     none
 * @param payloadFormatIndicator 0 unspecified bytes, 1 UTF-8 text
 * @param contentType MIME type of the payload, or null
 * @param responseTopic topic for a response, or null
 * @param correlationData data for matching a response, or null
 * @param subscriptionIdentifiers identifiers of the matched subscriptions, on deliveries only
 * @param userProperties user properties, in order
 * @param position on deliveries of a topic that keeps a history: the message's place in it; else null
 */
public record Publish(
    String topic,
    Buffer payload,
    int qos,
    boolean retain,
    boolean dup,
    int packetId,
    long messageExpiryInterval,
    int payloadFormatIndicator,
    String contentType,
    String responseTopic,
    Buffer correlationData,
    List<Integer> subscriptionIdentifiers,
    List<UserProperty> userProperties,
    TopicPosition position)
    implements BraidMessage {

  public Publish {
    Checks.required("PUBLISH.topic", topic);
    Checks.required("PUBLISH.payload", payload);
    Checks.qos("PUBLISH.qos", qos);
    Checks.packetId("PUBLISH.packetId", qos, packetId);
    if (dup && qos == 0) {
      throw Checks.invalid("PUBLISH.dup", "must be false at QoS 0 [MQTT-3.3.1-2]");
    }
    Checks.optionalU32("PUBLISH.messageExpiryInterval", messageExpiryInterval);
    Checks.payloadFormat("PUBLISH.payloadFormatIndicator", payloadFormatIndicator);
    subscriptionIdentifiers = List.copyOf(Checks.required("PUBLISH.subscriptionIdentifiers", subscriptionIdentifiers));
    for (int i = 0; i < subscriptionIdentifiers.size(); i++) {
      Checks.subscriptionIdentifier("PUBLISH.subscriptionIdentifiers", subscriptionIdentifiers.get(i));
    }
    userProperties = Checks.userProperties("PUBLISH.userProperties", userProperties);
  }

  /** A publish with no history position. */
  public Publish(String topic, Buffer payload, int qos, boolean retain, boolean dup, int packetId,
      long messageExpiryInterval, int payloadFormatIndicator, String contentType, String responseTopic,
      Buffer correlationData, List<Integer> subscriptionIdentifiers, List<UserProperty> userProperties) {
    this(topic, payload, qos, retain, dup, packetId, messageExpiryInterval, payloadFormatIndicator, contentType,
        responseTopic, correlationData, subscriptionIdentifiers, userProperties, null);
  }

  /** A QoS 0 publish with no options. */
  public static Publish of(String topic, Buffer payload) {
    return of(topic, payload, 0, 0);
  }

  /** A publish at {@code qos} with {@code packetId} (0 at QoS 0), no options. */
  public static Publish of(String topic, Buffer payload, int qos, int packetId) {
    return new Publish(topic, payload, qos, false, false, packetId, BraidMessage.ABSENT, 0, null, null,
        null, List.of(), List.of());
  }

  public static Builder builder(String topic, Buffer payload) {
    return new Builder(topic, payload);
  }

  /** A builder starting from this message. */
  public Builder toBuilder() {
    return new Builder(topic, payload)
        .qos(qos, packetId)
        .retain(retain)
        .dup(dup)
        .messageExpiryInterval(messageExpiryInterval)
        .payloadFormatIndicator(payloadFormatIndicator)
        .contentType(contentType)
        .responseTopic(responseTopic)
        .correlationData(correlationData)
        .subscriptionIdentifiers(subscriptionIdentifiers)
        .userProperties(userProperties)
        .position(position);
  }

  @Override
  public MessageType type() {
    return MessageType.PUBLISH;
  }

  @Override
  public String toString() {
    return "Publish[topic=" + topic + ", payload=" + Describe.bytes(payload) + ", qos=" + qos
        + ", retain=" + retain + ", dup=" + dup + ", packetId=" + packetId + ", messageExpiryInterval="
        + messageExpiryInterval + ", payloadFormatIndicator=" + payloadFormatIndicator
        + ", contentType=" + contentType + ", responseTopic=" + responseTopic + ", correlationData="
        + Describe.bytes(correlationData) + ", subscriptionIdentifiers=" + subscriptionIdentifiers
        + ", userProperties=" + userProperties + ", position=" + position + "]";
  }

  /** Builds a {@link Publish}; fields default as in the record's documentation. Not thread safe. */
  public static final class Builder {
    private final String topic;
    private final Buffer payload;
    private int qos;
    private int packetId;
    private boolean retain;
    private boolean dup;
    private long messageExpiryInterval = BraidMessage.ABSENT;
    private int payloadFormatIndicator;
    private String contentType;
    private String responseTopic;
    private Buffer correlationData;
    private List<Integer> subscriptionIdentifiers = List.of();
    private List<UserProperty> userProperties = List.of();
    private TopicPosition position;

    private Builder(String topic, Buffer payload) {
      this.topic = topic;
      this.payload = payload;
    }

    /** QoS and packet id go together: the packet id is 0 at QoS 0 and 1..65535 otherwise. */
    public Builder qos(int qos, int packetId) {
      this.qos = qos;
      this.packetId = packetId;
      return this;
    }

    public Builder retain(boolean retain) {
      this.retain = retain;
      return this;
    }

    public Builder dup(boolean dup) {
      this.dup = dup;
      return this;
    }

    public Builder messageExpiryInterval(long seconds) {
      this.messageExpiryInterval = seconds;
      return this;
    }

    public Builder payloadFormatIndicator(int indicator) {
      this.payloadFormatIndicator = indicator;
      return this;
    }

    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    public Builder responseTopic(String responseTopic) {
      this.responseTopic = responseTopic;
      return this;
    }

    public Builder correlationData(Buffer correlationData) {
      this.correlationData = correlationData;
      return this;
    }

    public Builder subscriptionIdentifiers(List<Integer> identifiers) {
      this.subscriptionIdentifiers = identifiers;
      return this;
    }

    public Builder userProperties(List<UserProperty> userProperties) {
      this.userProperties = userProperties;
      return this;
    }

    public Builder position(TopicPosition position) {
      this.position = position;
      return this;
    }

    public Publish build() {
      return new Publish(topic, payload, qos, retain, dup, packetId, messageExpiryInterval,
          payloadFormatIndicator, contentType, responseTopic, correlationData,
          subscriptionIdentifiers, userProperties, position);
    }
  }
}
