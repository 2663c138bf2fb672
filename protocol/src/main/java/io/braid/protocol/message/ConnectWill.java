package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The will message of a {@link Connect} (MQTT 5 §3.1.2.5, §3.1.3.2): published by the server on the
 * client's behalf when the connection ends without a DISCONNECT of reason 0x00, after {@code
 * delayInterval} seconds (or when the session ends, if sooner).
 *
 * @param topic the topic name to publish to
 * @param payload the will payload (may be empty)
 * @param qos 0, 1 or 2
 * @param retain publish as a retained message
 * @param delayInterval seconds to wait before publishing, 0..2^32-1 (default 0)
 * @param messageExpiryInterval lifetime in seconds of the published message, or {@link
 *     BraidMessage#ABSENT} for none
 * @param payloadFormatIndicator 0 unspecified bytes, 1 UTF-8 text
 * @param contentType MIME type of the payload, or null
 * @param responseTopic topic for a response, or null
 * @param correlationData data for matching a response, or null
 * @param userProperties user properties, in order
 */
public record ConnectWill(
    String topic,
    Buffer payload,
    int qos,
    boolean retain,
    long delayInterval,
    long messageExpiryInterval,
    int payloadFormatIndicator,
    String contentType,
    String responseTopic,
    Buffer correlationData,
    List<UserProperty> userProperties) {

  public ConnectWill {
    Checks.required("CONNECT.will.topic", topic);
    Checks.required("CONNECT.will.payload", payload);
    Checks.qos("CONNECT.will.qos", qos);
    Checks.u32("CONNECT.will.delayInterval", delayInterval);
    Checks.optionalU32("CONNECT.will.messageExpiryInterval", messageExpiryInterval);
    Checks.payloadFormat("CONNECT.will.payloadFormatIndicator", payloadFormatIndicator);
    userProperties = Checks.userProperties("CONNECT.will.userProperties", userProperties);
  }

  /** A QoS {@code qos} will with no options. */
  public static ConnectWill of(String topic, Buffer payload, int qos) {
    return builder(topic, payload).qos(qos).build();
  }

  public static Builder builder(String topic, Buffer payload) {
    return new Builder(topic, payload);
  }

  /** A builder starting from this will. */
  public Builder toBuilder() {
    return new Builder(topic, payload)
        .qos(qos)
        .retain(retain)
        .delayInterval(delayInterval)
        .messageExpiryInterval(messageExpiryInterval)
        .payloadFormatIndicator(payloadFormatIndicator)
        .contentType(contentType)
        .responseTopic(responseTopic)
        .correlationData(correlationData)
        .userProperties(userProperties);
  }

  @Override
  public String toString() {
    return "ConnectWill[topic=" + topic + ", payload=" + Describe.bytes(payload) + ", qos=" + qos
        + ", retain=" + retain + ", delayInterval=" + delayInterval + ", messageExpiryInterval="
        + messageExpiryInterval + ", payloadFormatIndicator=" + payloadFormatIndicator
        + ", contentType=" + contentType + ", responseTopic=" + responseTopic + ", correlationData="
        + Describe.bytes(correlationData) + ", userProperties=" + userProperties + "]";
  }

  /** Builds a {@link ConnectWill}; fields default as in the record's documentation. Not thread safe. */
  public static final class Builder {
    private final String topic;
    private final Buffer payload;
    private int qos;
    private boolean retain;
    private long delayInterval;
    private long messageExpiryInterval = BraidMessage.ABSENT;
    private int payloadFormatIndicator;
    private String contentType;
    private String responseTopic;
    private Buffer correlationData;
    private List<UserProperty> userProperties = List.of();

    private Builder(String topic, Buffer payload) {
      this.topic = topic;
      this.payload = payload;
    }

    public Builder qos(int qos) {
      this.qos = qos;
      return this;
    }

    public Builder retain(boolean retain) {
      this.retain = retain;
      return this;
    }

    public Builder delayInterval(long seconds) {
      this.delayInterval = seconds;
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

    public Builder userProperties(List<UserProperty> userProperties) {
      this.userProperties = userProperties;
      return this;
    }

    public ConnectWill build() {
      return new ConnectWill(topic, payload, qos, retain, delayInterval, messageExpiryInterval,
          payloadFormatIndicator, contentType, responseTopic, correlationData, userProperties);
    }
  }
}
