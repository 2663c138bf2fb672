package io.braid.client;

import io.braid.protocol.message.TopicPosition;
import io.vertx.core.buffer.Buffer;

/**
 * A message a subscription received. At QoS 1 it may come again after a reconnect ({@code dup}); at QoS 2 the SDK
 * hands each message to the application once.
 *
 * <p>Immutable but for the payload buffer, which belongs to the application (a copy of what arrived).
 *
 * @param topic the topic it was published to
 * @param payload its payload
 * @param qos the QoS it was delivered with
 * @param retain whether it is a retained message (sent on subscribe), or was published retained with
 *     retain-as-published
 * @param dup whether the broker sent it before (a redelivery after a reconnect)
 * @param properties its MQTT 5 properties
 * @param droppedBefore messages of this subscription the broker dropped right before this one (its queue was full,
 *     or a message was larger than this client takes); 0 when none
 * @param position its place in its topic's history (epoch and offset), or null if the topic keeps none
 */
public record ReceivedMessage(String topic, Buffer payload, int qos, boolean retain, boolean dup,
    MessageProperties properties, long droppedBefore, TopicPosition position) {
}
