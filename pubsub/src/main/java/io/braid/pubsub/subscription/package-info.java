/**
 * Subscriptions and routing with MQTT 5 semantics (MQTT 5.0 §3.8.3, §3.3.4, §4.8.2): which sessions receive a
 * message published to a topic name, at which QoS and with which subscription identifiers.
 *
 * <p>Pure domain: no sockets, no wire format, no persistence. {@link io.braid.pubsub.subscription.SubscriptionIndex}
 * stores {@link io.braid.pubsub.subscription.Subscription}s on a {@link io.braid.pubsub.topic.TopicTree} and turns a
 * publish into a {@link io.braid.pubsub.subscription.RouteResult}: one
 * {@link io.braid.pubsub.subscription.Delivery} per receiving session, plus one per served shared subscription group.
 */
package io.braid.pubsub.subscription;
