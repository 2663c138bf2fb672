package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Hands one routed message to the local sessions, noting whether any copy went to the store and which copies on
 * other nodes its acknowledgement waits for. Confined to the routing thread of its one message.
 */
final class Fanout implements MessageRouter.LocalDelivery {
  private final Map<String, Session> sessions;
  private final BrokerStats stats;
  private final CompletableFuture<Void> hold;
  /** Counts the stored copies of a QoS 1 message down as they are acknowledged; null: the commit decides. */
  private final StoredCopies copies;

  boolean stored;
  private List<CompletableFuture<Void>> elsewhere;

  /**
   * With {@code countCopies}, the stored copies are counted ({@link #routed()}): for a QoS 1 message that the store
   * keeps for nothing else (neither retained nor in a history).
   */
  Fanout(Map<String, Session> sessions, BrokerStats stats, CompletableFuture<Void> hold, boolean countCopies) {
    this.sessions = sessions;
    this.stats = stats;
    this.hold = hold;
    this.copies = countCopies ? new StoredCopies() : null;
  }

  @Override
  public boolean isAvailable(String clientId) {
    Session session = sessions.get(clientId);
    return session != null && session.isAvailable();
  }

  @Override
  public void deliver(ApplicationMessage message, Delivery delivery) {
    Session session = sessions.get(delivery.clientId());
    if (session != null) {
      // [MQTT-3.3.1-12] [MQTT-3.3.1-13] RETAIN is forwarded only with retain-as-published
      boolean retain = delivery.retainAsPublished() && message.retain();
      session.offers.enter(); // a session moving away meanwhile reads its queue once this offer has written
      try {
        stored |= session.offer(message, delivery.subscription(), delivery.grantedQos(), retain,
            delivery.subscriptionIdentifiers(), hold, copies);
      } finally {
        session.offers.exit();
      }
    }
  }

  @Override
  public void sharedGroupUnavailable() {
    stats.onSharedGroupFallback();
  }

  @Override
  public void awaitElsewhere(CompletableFuture<Void> taken) {
    if (elsewhere == null) {
      elsewhere = new ArrayList<>(2);
    }
    elsewhere.add(taken);
  }

  @Override
  public CompletableFuture<Void> hold() {
    return hold;
  }

  /**
   * Ends the routing (call once, after the last delivery): returns what completes once every stored copy was
   * acknowledged by its subscriber, or null if the copies were not counted or none was stored.
   */
  CompletableFuture<Void> routed() {
    if (copies == null) {
      return null;
    }
    copies.routed();
    return stored ? copies.acknowledged() : null;
  }

  /** What the other nodes' copies complete with, together; null if none were handed to another node. */
  CompletableFuture<Void> elsewhere() {
    if (elsewhere == null) {
      return null;
    }
    return elsewhere.size() == 1 ? elsewhere.get(0)
        : CompletableFuture.allOf(elsewhere.toArray(CompletableFuture[]::new));
  }
}
