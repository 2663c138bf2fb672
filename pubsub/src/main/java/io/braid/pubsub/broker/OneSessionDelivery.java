package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.Delivery;

/** A {@link MessageRouter.LocalDelivery} that hands messages to one session only and drops the others' copies. */
final class OneSessionDelivery extends ForwardingLocalDelivery {

  private final String clientId;

  OneSessionDelivery(String clientId, MessageRouter.LocalDelivery local) {
    super(local);
    this.clientId = clientId;
  }

  @Override
  public boolean isAvailable(String client) {
    return client.equals(clientId) && super.isAvailable(client);
  }

  @Override
  public void deliver(ApplicationMessage message, Delivery delivery) {
    if (delivery.clientId().equals(clientId)) {
      super.deliver(message, delivery);
    }
  }

  @Override
  public void sharedGroupUnavailable() {
    // shared groups are not this delivery's business
  }
}
