package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.Delivery;
import java.util.concurrent.CompletableFuture;

/** A {@link MessageRouter.LocalDelivery} that hands messages to one session only and drops the others' copies. */
final class OneSessionDelivery implements MessageRouter.LocalDelivery {

  private final String clientId;
  private final MessageRouter.LocalDelivery local;

  OneSessionDelivery(String clientId, MessageRouter.LocalDelivery local) {
    this.clientId = clientId;
    this.local = local;
  }

  @Override
  public boolean isAvailable(String client) {
    return client.equals(clientId) && local.isAvailable(client);
  }

  @Override
  public void deliver(ApplicationMessage message, Delivery delivery) {
    if (delivery.clientId().equals(clientId)) {
      local.deliver(message, delivery);
    }
  }

  @Override
  public void sharedGroupUnavailable() {
    // shared groups are not this delivery's business
  }

  @Override
  public void awaitElsewhere(CompletableFuture<Void> taken) {
    local.awaitElsewhere(taken);
  }

  @Override
  public CompletableFuture<Void> hold() {
    return local.hold();
  }
}
