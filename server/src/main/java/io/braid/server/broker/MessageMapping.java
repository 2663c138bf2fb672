package io.braid.server.broker;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.Subscribe;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.UserProperty;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicName;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates between the wire's messages ({@code io.braid.protocol.message}) and the pub/sub core's
 * ({@code io.braid.pubsub}). Payloads are copied out of the received bytes here: the core shares one message among
 * every delivery and the store, long after the read buffer is gone. Stateless.
 */
final class MessageMapping {

  /** User property the server adds to a delivery after messages of its subscription were dropped. */
  static final String DROPPED_PROPERTY = "braid.dropped";

  private MessageMapping() {
  }

  /** The application message of a client's PUBLISH on a validated topic. */
  static ApplicationMessage toApplicationMessage(String clientId, TopicName topic, Publish publish) {
    return new ApplicationMessage(0, clientId, topic, publish.payload().getBytes(), publish.qos(), publish.retain(), 0,
        expiry(publish.messageExpiryInterval()), publish.payloadFormatIndicator(), publish.contentType(),
        publish.responseTopic(), bytes(publish.correlationData()), userProperties(publish.userProperties()));
  }

  /** The will of a CONNECT on a validated topic. */
  static Will toWill(String clientId, TopicName topic, io.braid.protocol.message.Will will) {
    ApplicationMessage message = new ApplicationMessage(0, clientId, topic, will.payload().getBytes(), will.qos(),
        will.retain(), 0, expiry(will.messageExpiryInterval()), will.payloadFormatIndicator(), will.contentType(),
        will.responseTopic(), bytes(will.correlationData()), userProperties(will.userProperties()));
    return new Will(message, will.delayInterval());
  }

  /** The core's options of a SUBSCRIBE. */
  static SubscriptionOptions toOptions(Subscribe subscribe) {
    io.braid.protocol.message.SubscriptionOptions wire = subscribe.options();
    int identifier = subscribe.subscriptionIdentifier() == BraidMessage.ABSENT
        ? SubscriptionOptions.NO_SUBSCRIPTION_IDENTIFIER : subscribe.subscriptionIdentifier();
    return new SubscriptionOptions(wire.maxQos(), wire.noLocal(), wire.retainAsPublished(), wire.retainHandling(),
        identifier);
  }

  /** The PUBLISH of a delivery. */
  static Publish toPublish(OutboundPublish delivery) {
    ApplicationMessage message = delivery.message();
    List<io.braid.protocol.message.UserProperty> properties = wireProperties(message.userProperties(),
        delivery.droppedBefore());
    long expiry = delivery.messageExpiryInterval() == ApplicationMessage.NO_EXPIRY ? BraidMessage.ABSENT
        : delivery.messageExpiryInterval();
    return new Publish(message.topic().asString(), Buffer.buffer(message.payload()), delivery.qos(), delivery.retain(),
        delivery.dup(), delivery.packetId(), expiry, message.payloadFormatIndicator(), message.contentType(),
        message.responseTopic(), message.correlationData() == null ? null : Buffer.buffer(message.correlationData()),
        delivery.subscriptionIdentifiers(), properties);
  }

  private static long expiry(long wire) {
    return wire == BraidMessage.ABSENT ? ApplicationMessage.NO_EXPIRY : wire;
  }

  private static byte[] bytes(Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }

  private static List<UserProperty> userProperties(List<io.braid.protocol.message.UserProperty> wire) {
    if (wire.isEmpty()) {
      return List.of();
    }
    List<UserProperty> properties = new ArrayList<>(wire.size());
    for (io.braid.protocol.message.UserProperty property : wire) {
      properties.add(new UserProperty(property.name(), property.value()));
    }
    return properties;
  }

  private static List<io.braid.protocol.message.UserProperty> wireProperties(List<UserProperty> properties,
      long dropped) {
    if (properties.isEmpty() && dropped == 0) {
      return List.of();
    }
    List<io.braid.protocol.message.UserProperty> wire = new ArrayList<>(properties.size() + 1);
    for (UserProperty property : properties) {
      wire.add(new io.braid.protocol.message.UserProperty(property.name(), property.value()));
    }
    if (dropped > 0) {
      wire.add(new io.braid.protocol.message.UserProperty(DROPPED_PROPERTY, Long.toString(dropped)));
    }
    return wire;
  }
}
