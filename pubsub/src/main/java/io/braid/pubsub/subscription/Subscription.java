package io.braid.pubsub.subscription;

import io.braid.pubsub.topic.TopicFilter;
import java.util.Objects;

/**
 * One subscription of one session: a topic filter (possibly shared, {@code $share/{group}/{filter}}) with its options.
 * A session holds at most one subscription per filter string; subscribing again replaces the options [MQTT-3.8.4-3].
 *
 * <p>Immutable; safe for any thread.
 *
 * @param clientId the client identifier of the subscribing session
 * @param filter the topic filter as subscribed
 * @param options the subscription options
 */
public record Subscription(String clientId, TopicFilter filter, SubscriptionOptions options) {

  public Subscription {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(options, "options");
    // [MQTT-3.8.3-4] It is a Protocol Error to set the No Local bit to 1 on a Shared Subscription
    if (filter.isShared() && options.noLocal()) {
      throw new IllegalArgumentException(
          "No Local must not be set on a Shared Subscription [MQTT-3.8.3-4]: " + filter.asString());
    }
  }
}
