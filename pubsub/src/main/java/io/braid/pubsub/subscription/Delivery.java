package io.braid.pubsub.subscription;

import java.util.List;
import java.util.Objects;

/**
 * One copy of a published message for one session, as decided by {@link SubscriptionIndex#route}.
 *
 * <p>Immutable; safe for any thread.
 *
 * @param sessionId the receiving session's client identifier
 * @param grantedQos the QoS to deliver with: min(published QoS, subscription maximum QoS), the highest over the
 *     session's overlapping subscriptions [MQTT-3.3.4-2]
 * @param retainAsPublished true if the RETAIN flag is forwarded as published, false if it is cleared
 * @param subscriptionIdentifiers the identifiers of the matching subscriptions, ascending, without duplicates; empty
 *     if none has one [MQTT-3.3.4-3]
 */
public record Delivery(String sessionId, int grantedQos, boolean retainAsPublished,
    List<Integer> subscriptionIdentifiers) {

  public Delivery {
    Objects.requireNonNull(sessionId, "sessionId");
    subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
  }
}
