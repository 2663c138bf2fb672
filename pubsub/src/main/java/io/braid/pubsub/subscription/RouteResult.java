package io.braid.pubsub.subscription;

import java.util.List;

/**
 * What {@link SubscriptionIndex#route} decided for one published message.
 *
 * <p>Immutable; safe for any thread.
 *
 * @param deliveries one per receiving session for its non-shared subscriptions, then one per served shared
 *     subscription group; a session may appear more than once when it also receives through shared subscriptions
 *     (MQTT 5.0 §4.8.2)
 * @param unavailableSharedGroups the number of matching shared subscription groups none of whose members was
 *     available, so that the message went to the member whose turn it was, to wait in its queue (for a metric)
 */
public record RouteResult(List<Delivery> deliveries, int unavailableSharedGroups) {

  public RouteResult {
    deliveries = List.copyOf(deliveries);
  }
}
