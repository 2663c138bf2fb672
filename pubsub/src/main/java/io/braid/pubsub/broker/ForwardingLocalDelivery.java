package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.Delivery;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link MessageRouter.LocalDelivery} that passes every call to another: the base of one that changes some.
 *
 * <p><b>Threading:</b> as the delivery it wraps.
 */
public abstract class ForwardingLocalDelivery implements MessageRouter.LocalDelivery {

  private final MessageRouter.LocalDelivery local;

  protected ForwardingLocalDelivery(MessageRouter.LocalDelivery local) {
    this.local = local;
  }

  @Override
  public boolean isAvailable(String clientId) {
    return local.isAvailable(clientId);
  }

  @Override
  public void deliver(ApplicationMessage message, Delivery delivery) {
    local.deliver(message, delivery);
  }

  @Override
  public void sharedGroupUnavailable() {
    local.sharedGroupUnavailable();
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
