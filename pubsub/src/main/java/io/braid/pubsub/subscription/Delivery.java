package io.braid.pubsub.subscription;

import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.Objects;

/**
 * One copy of a published message for one session, as decided by {@link SubscriptionIndex#route}.
 *
 * <p>Immutable; safe for any thread.
 *
 * @param clientId the receiving session's client identifier
 * @param subscription the filter of the session's subscription this copy travels for: the one matching subscription
 *     with the highest granted QoS, the first by filter string among equals; for a shared group, the group's
 *     {@code $share/...} filter. A connection delivers each subscription's copies on that subscription's own channel
 *     (in Braid, its stream), so this decides where, and in what order, the copy arrives.
 * @param grantedQos the QoS to deliver with: min(published QoS, subscription maximum QoS), the highest over the
 *     session's overlapping subscriptions [MQTT-3.3.4-2]
 * @param retainAsPublished true if the RETAIN flag is forwarded as published, false if it is cleared
 * @param subscriptionIdentifiers the identifiers of the matching subscriptions, ascending, without duplicates; empty
 *     if none has one [MQTT-3.3.4-3]
 */
public record Delivery(String clientId, TopicFilter subscription, int grantedQos, boolean retainAsPublished,
    List<Integer> subscriptionIdentifiers) {

  public Delivery {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(subscription, "subscription");
    subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
  }
}
