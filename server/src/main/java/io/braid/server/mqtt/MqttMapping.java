package io.braid.server.mqtt;

import io.braid.protocol.mqtt.MqttPacket;
import io.braid.protocol.mqtt.MqttProperties;
import io.braid.protocol.mqtt.MqttProperty;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.MessageProperty;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicName;
import io.braid.server.frontend.ConnectAttempt;
import io.braid.server.frontend.SenderStamp;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates between MQTT packets and the pub/sub core's messages. Payloads and binary properties are copied out of
 * the received bytes here (the decoder hands slices of the read buffer; the core keeps a message long after it).
 * Every property of an MQTT 5 message is forwarded unaltered; MQTT 3.1.1 messages have none. Stateless.
 */
final class MqttMapping {

  /** User property the server adds to a delivery after messages of its subscription were dropped. */
  static final String DROPPED_PROPERTY = "braid.dropped";

  private MqttMapping() {
  }

  /** The application message of a client's PUBLISH on a validated topic, stamped with {@code sender} if not null. */
  static ApplicationMessage toMessage(String clientId, TopicName topic, MqttPacket.Publish publish, String sender) {
    MqttProperties p = publish.properties();
    return new ApplicationMessage(0, clientId, topic, publish.payload().getBytes(), publish.qos(), publish.retain(), 0,
        expiry(p), payloadFormat(p), p.string(MqttProperty.CONTENT_TYPE), p.string(MqttProperty.RESPONSE_TOPIC),
        bytes(p.binary(MqttProperty.CORRELATION_DATA)), SenderStamp.apply(userProperties(p), sender), null);
  }

  /** A CONNECT's will, for the front end to check and build once the client's identifier is known. */
  static ConnectAttempt.WillDraft willDraft(MqttPacket.Will will) {
    return ConnectAttempt.WillDraft.of(will.topic(), (clientId, topic) -> {
      MqttProperties p = will.properties();
      ApplicationMessage message = new ApplicationMessage(0, clientId, topic, will.payload().getBytes(), will.qos(),
          will.retain(), 0, expiry(p), payloadFormat(p), p.string(MqttProperty.CONTENT_TYPE),
          p.string(MqttProperty.RESPONSE_TOPIC), bytes(p.binary(MqttProperty.CORRELATION_DATA)),
          SenderStamp.apply(userProperties(p), null), null);
      Integer delay = p.integer(MqttProperty.WILL_DELAY_INTERVAL);
      return new Will(message, delay == null ? 0 : Integer.toUnsignedLong(delay));
    });
  }

  /** The core's options of one subscription of a SUBSCRIBE; {@code identifier} 0 for none. */
  static SubscriptionOptions toOptions(MqttPacket.Subscription subscription, int identifier) {
    return new SubscriptionOptions(subscription.qos(), subscription.noLocal(), subscription.retainAsPublished(),
        subscription.retainHandling(), identifier);
  }

  /**
   * The PUBLISH of a delivery: to {@code topic} (empty when {@code alias} names it), with topic alias {@code alias}
   * (0: none). MQTT 3.1.1 clients get no properties.
   */
  static MqttPacket.Publish toPublish(OutboundPublish delivery, boolean v5, String topic, int alias) {
    ApplicationMessage message = delivery.message();
    Buffer payload = Buffer.buffer(message.payload());
    if (!v5) {
      return new MqttPacket.Publish(topic, delivery.qos(), delivery.retain(), delivery.dup(), delivery.packetId(),
          payload, MqttProperties.NONE);
    }
    MqttProperties.Builder p = MqttProperties.builder();
    if (message.payloadFormatIndicator() != 0) {
      p.put(MqttProperty.PAYLOAD_FORMAT_INDICATOR, message.payloadFormatIndicator());
    }
    if (delivery.messageExpiryInterval() != ApplicationMessage.NO_EXPIRY) {
      p.put(MqttProperty.MESSAGE_EXPIRY_INTERVAL, (int) delivery.messageExpiryInterval());
    }
    if (alias != 0) {
      p.put(MqttProperty.TOPIC_ALIAS, alias);
    }
    if (message.responseTopic() != null) {
      p.put(MqttProperty.RESPONSE_TOPIC, message.responseTopic());
    }
    if (message.correlationData() != null) {
      p.put(MqttProperty.CORRELATION_DATA, Buffer.buffer(message.correlationData()));
    }
    for (MessageProperty property : message.userProperties()) {
      p.user(property.name(), property.value());
    }
    if (delivery.droppedBefore() > 0) {
      p.user(DROPPED_PROPERTY, Long.toString(delivery.droppedBefore()));
    }
    for (int identifier : delivery.subscriptionIdentifiers()) {
      p.put(MqttProperty.SUBSCRIPTION_IDENTIFIER, identifier);
    }
    if (message.contentType() != null) {
      p.put(MqttProperty.CONTENT_TYPE, message.contentType());
    }
    return new MqttPacket.Publish(topic, delivery.qos(), delivery.retain(), delivery.dup(), delivery.packetId(),
        payload, p.build());
  }

  private static long expiry(MqttProperties properties) {
    Integer seconds = properties.integer(MqttProperty.MESSAGE_EXPIRY_INTERVAL);
    return seconds == null ? ApplicationMessage.NO_EXPIRY : Integer.toUnsignedLong(seconds);
  }

  private static int payloadFormat(MqttProperties properties) {
    Integer indicator = properties.integer(MqttProperty.PAYLOAD_FORMAT_INDICATOR);
    return indicator == null ? 0 : indicator;
  }

  private static byte[] bytes(Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }

  private static List<MessageProperty> userProperties(MqttProperties properties) {
    List<MqttProperties.UserProperty> wire = properties.userProperties();
    if (wire.isEmpty()) {
      return List.of();
    }
    List<MessageProperty> copied = new ArrayList<>(wire.size());
    for (MqttProperties.UserProperty property : wire) {
      copied.add(new MessageProperty(property.name(), property.value()));
    }
    return copied;
  }
}
