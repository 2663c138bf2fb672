package io.braid.server.braid;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnectWill;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.protocol.message.UserProperty;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.broker.QueueOverflowPolicy;
import io.braid.pubsub.broker.SubscriptionLimit;
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
 * Translates between the wire's messages ({@code io.braid.protocol.message}) and the pub/sub core's
 * ({@code io.braid.pubsub}). Payloads are copied out of the received bytes here: the core shares one message among
 * every delivery and the store, long after the read buffer is gone. Stateless.
 */
final class MessageMapping {

  /** User property the server adds to a delivery after messages of its subscription were dropped. */
  static final String DROPPED_PROPERTY = "braid.dropped";

  private MessageMapping() {
  }

  /**
   * The application message of a client's PUBLISH on a validated topic; {@code sender}, if not null, is stamped as
   * its {@code braid.sender}, and a {@code braid.sender} the client sent is dropped.
   */
  static ApplicationMessage toApplicationMessage(String clientId, TopicName topic, Publish publish, String sender) {
    return new ApplicationMessage(0, clientId, topic, publish.payload().getBytes(), publish.qos(), publish.retain(), 0,
        expiry(publish.messageExpiryInterval()), publish.payloadFormatIndicator(), publish.contentType(),
        publish.responseTopic(), bytes(publish.correlationData()), userProperties(publish.userProperties(), sender),
        null);
  }

  /** A CONNECT's will, for the front end to check and build once the client's identifier is known. */
  static ConnectAttempt.WillDraft willDraft(ConnectWill will) {
    return ConnectAttempt.WillDraft.of(will.topic(), (clientId, topic) -> toWill(clientId, topic, will));
  }

  /** The will of a CONNECT on a validated topic. */
  static Will toWill(String clientId, TopicName topic, ConnectWill will) {
    ApplicationMessage message = new ApplicationMessage(0, clientId, topic, will.payload().getBytes(), will.qos(),
        will.retain(), 0, expiry(will.messageExpiryInterval()), will.payloadFormatIndicator(), will.contentType(),
        will.responseTopic(), bytes(will.correlationData()), userProperties(will.userProperties(), null), null);
    return new Will(message, will.delayInterval());
  }

  /** The core's options of a SUBSCRIBE. */
  static SubscriptionOptions toOptions(Subscribe subscribe) {
    SubscribeOptions wire = subscribe.options();
    int identifier = subscribe.subscriptionIdentifier() == BraidMessage.ABSENT
        ? SubscriptionOptions.NO_SUBSCRIPTION_IDENTIFIER : subscribe.subscriptionIdentifier();
    return new SubscriptionOptions(wire.maxQos(), wire.noLocal(), wire.retainAsPublished(), wire.retainHandling(),
        identifier);
  }

  /** The subscription's own overflow policy and queue limit, if it asked for them. */
  static SubscriptionLimit toLimit(Subscribe subscribe) {
    QueueOverflowPolicy policy = subscribe.overflow() == null ? null
        : QueueOverflowPolicy.valueOf(subscribe.overflow().name());
    int maxQueued = subscribe.maxQueued() == BraidMessage.ABSENT ? 0 : subscribe.maxQueued();
    return new SubscriptionLimit(policy, maxQueued);
  }

  /** The PUBLISH of a delivery. */
  static Publish toPublish(OutboundPublish delivery) {
    ApplicationMessage message = delivery.message();
    List<UserProperty> properties = wireProperties(message.userProperties(),
        delivery.droppedBefore());
    long expiry = delivery.messageExpiryInterval() == ApplicationMessage.NO_EXPIRY ? BraidMessage.ABSENT
        : delivery.messageExpiryInterval();
    return new Publish(message.topic().asString(), Buffer.buffer(message.payload()), delivery.qos(), delivery.retain(),
        delivery.dup(), delivery.packetId(), expiry, message.payloadFormatIndicator(), message.contentType(),
        message.responseTopic(), message.correlationData() == null ? null : Buffer.buffer(message.correlationData()),
        delivery.subscriptionIdentifiers(), properties, HistoryMapping.toWire(message.position()));
  }

  private static long expiry(long wire) {
    return wire == BraidMessage.ABSENT ? ApplicationMessage.NO_EXPIRY : wire;
  }

  private static byte[] bytes(Buffer buffer) {
    return buffer == null ? null : buffer.getBytes();
  }

  private static List<MessageProperty> userProperties(List<UserProperty> wire, String sender) {
    if (wire.isEmpty() && sender == null) {
      return List.of();
    }
    List<MessageProperty> properties = new ArrayList<>(wire.size() + 1);
    for (UserProperty property : wire) {
      properties.add(new MessageProperty(property.name(), property.value()));
    }
    return SenderStamp.apply(properties, sender);
  }

  private static List<UserProperty> wireProperties(List<MessageProperty> properties,
      long dropped) {
    if (properties.isEmpty() && dropped == 0) {
      return List.of();
    }
    List<UserProperty> wire = new ArrayList<>(properties.size() + 1);
    for (MessageProperty property : properties) {
      wire.add(new UserProperty(property.name(), property.value()));
    }
    if (dropped > 0) {
      wire.add(new UserProperty(DROPPED_PROPERTY, Long.toString(dropped)));
    }
    return wire;
  }
}
