package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.Delivery;
import io.braid.pubsub.subscription.RouteResult;
import io.braid.pubsub.subscription.Subscription;
import io.braid.pubsub.subscription.SubscriptionIndex;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.function.Predicate;

/** The {@link MessageRouter} of a single node: every subscriber is local, held in a {@link SubscriptionIndex}. */
public final class LocalRouter implements MessageRouter {

  private final SubscriptionIndex index = new SubscriptionIndex();

  @Override
  public boolean subscribe(Subscription subscription) {
    return index.subscribe(subscription);
  }

  @Override
  public boolean unsubscribe(String clientId, TopicFilter filter) {
    return index.unsubscribe(clientId, filter);
  }

  @Override
  public void removeSession(String clientId) {
    index.removeSession(clientId);
  }

  @Override
  public List<Subscription> subscriptions(String clientId) {
    return index.subscriptions(clientId);
  }

  @Override
  public int subscriptionCount() {
    return index.subscriptionCount();
  }

  @Override
  public int route(ApplicationMessage message, LocalDelivery local) {
    return routeLocally(message, group -> true, local);
  }

  @Override
  public int routeLocally(ApplicationMessage message, Predicate<TopicFilter> servedGroups, LocalDelivery local) {
    RouteResult result = index.route(message.topic(), message.publisherId(), message.qos(), local::isAvailable,
        servedGroups);
    for (Delivery delivery : result.deliveries()) {
      local.deliver(message, delivery);
    }
    for (int i = 0; i < result.unavailableSharedGroups(); i++) {
      local.sharedGroupUnavailable();
    }
    return result.deliveries().size();
  }
}
