/**
 * Topic names, topic filters and subscription matching with MQTT 5 semantics (MQTT 5.0 §4.7, §4.8.2).
 *
 * <p>{@link io.braid.pubsub.topic.TopicName} and {@link io.braid.pubsub.topic.TopicFilter} are validated
 * values: once parsed they are known to satisfy every rule, and each violation is an
 * {@link io.braid.pubsub.topic.InvalidTopicException} naming the broken {@link io.braid.pubsub.topic.TopicRule}.
 * {@link io.braid.pubsub.topic.TopicTree} is the subscription index; {@link io.braid.pubsub.topic.NaiveMatcher}
 * is the slow, obviously-correct reference it is tested against.
 */
package io.braid.pubsub.topic;
