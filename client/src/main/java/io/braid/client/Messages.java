package io.braid.client;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.UserProperty;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Between the SDK's messages and the wire's PUBLISH. Stateless. */
final class Messages {

  /** The user property with which the broker reports drops before a delivery (PROTOCOL.md 8.5). */
  static final String DROPPED = "braid.dropped";

  private Messages() {
  }

  /** The PUBLISH of an application's publish; its packet identifier is set when it is queued. */
  static Publish publish(String topic, Buffer payload, int qos, boolean retain, MessageProperties properties) {
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + qos);
    }
    List<UserProperty> user = new ArrayList<>(properties.userProperties().size());
    for (Map.Entry<String, String> property : properties.userProperties()) {
      user.add(new UserProperty(property.getKey(), property.getValue()));
    }
    Publish.Builder builder = Publish.builder(topic, payload).qos(qos, qos == 0 ? 0 : 1).retain(retain)
        .userProperties(user);
    if (properties.contentType() != null) {
      builder.contentType(properties.contentType());
    }
    if (properties.responseTopic() != null) {
      builder.responseTopic(properties.responseTopic());
    }
    if (properties.correlationData() != null) {
      builder.correlationData(properties.correlationData());
    }
    if (properties.messageExpirySeconds() >= 0) {
      builder.messageExpiryInterval(properties.messageExpirySeconds());
    }
    if (properties.payloadUtf8()) {
      builder.payloadFormatIndicator(1);
    }
    return builder.build();
  }

  /** What the application receives for a delivery. */
  static ReceivedMessage received(Publish publish) {
    List<Map.Entry<String, String>> user = new ArrayList<>(publish.userProperties().size());
    long dropped = 0;
    for (UserProperty property : publish.userProperties()) {
      if (property.name().equals(DROPPED)) {
        dropped += parse(property.value());
      } else {
        user.add(Map.entry(property.name(), property.value()));
      }
    }
    MessageProperties properties = new MessageProperties(user, publish.contentType(), publish.responseTopic(),
        publish.correlationData(), publish.messageExpiryInterval() == BraidMessage.ABSENT ? -1
        : publish.messageExpiryInterval(), publish.payloadFormatIndicator() == 1);
    return new ReceivedMessage(publish.topic(), publish.payload().copy(), publish.qos(), publish.retain(),
        publish.dup(), properties, dropped, publish.position());
  }

  private static long parse(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
