package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.Delivery;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;

/**
 * A PUBLISH the broker sends to a subscriber: the shared message plus what is specific to this delivery.
 *
 * @param subscription the filter of the subscription this delivery travels for (see
 *     {@link Delivery#subscription()}): where the connection sends it
 * @param message the application message (topic, payload, properties forwarded unaltered)
 * @param qos the delivered QoS: min(published QoS, granted QoS)
 * @param packetId 1..65535 at QoS 1 and 2, 0 at QoS 0
 * @param dup true if this is a redelivery [MQTT-3.3.1-1]
 * @param retain the RETAIN flag as delivered
 * @param subscriptionIdentifiers the identifiers of the matching subscriptions
 * @param messageExpiryInterval the remaining expiry in seconds [MQTT-3.3.2-6], or
 *     {@link ApplicationMessage#NO_EXPIRY}
 * @param droppedBefore messages for the same subscription that the session dropped (queue full, or too large for
 *     the client) right before this one in the subscription's order: how the subscriber learns it lost some, and
 *     where; the same on a redelivery of this message
 */
public record OutboundPublish(TopicFilter subscription, ApplicationMessage message, int qos, int packetId,
    boolean dup, boolean retain, List<Integer> subscriptionIdentifiers, long messageExpiryInterval,
    long droppedBefore) {
}
