package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.Delivery;
import io.braid.pubsub.subscription.Subscription;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Where the subscribers of a message are: the seam between the broker core and the cluster. The broker records every
 * subscription change here and routes every accepted message through {@link #route}; {@link LocalRouter} knows
 * only this node's subscriptions, and a clustered router (which also forwards to the nodes whose subscriptions
 * match, and hands messages from other nodes to {@link Broker#deliverFromPeer}) plugs in without changing the core
 * (module {@code cluster}).
 *
 * <p>All methods are called from many threads concurrently; {@link #route} must not block or take a global lock.
 */
public interface MessageRouter {

  /** Adds or replaces a subscription of a local session; returns true if it is new. */
  boolean subscribe(Subscription subscription);

  /** Removes a local session's subscription; returns false if it had none. */
  boolean unsubscribe(String clientId, TopicFilter filter);

  /** Removes every subscription of a local session. */
  void removeSession(String clientId);

  /** The local session's subscriptions. Not for the publish path. */
  List<Subscription> subscriptions(String clientId);

  /** The number of local subscriptions. Not for the publish path. */
  int subscriptionCount();

  /**
   * Routes {@code message} to every matching subscription: local ones through {@code local}, remote ones by the
   * router's own transport. Returns the number of deliveries made (local and remote), 0 if nothing matched.
   */
  int route(ApplicationMessage message, LocalDelivery local);

  /**
   * Routes {@code message} to this node's matching subscriptions only (a message another node routed here): every
   * matching non-shared subscription, and the matching shared groups that {@code servedGroups} accepts (by their full
   * {@code $share/{group}/{filter}}; the node that routed the message chose this node for them).
   */
  int routeLocally(ApplicationMessage message, Predicate<TopicFilter> servedGroups, LocalDelivery local);

  /**
   * Routes {@code message} to the matching non-shared subscriptions of the local session {@code clientId} only (a
   * message relayed for that session by the node it moved from). Returns the number of deliveries made.
   */
  default int routeToSession(String clientId, ApplicationMessage message, LocalDelivery local) {
    return routeLocally(message, group -> false, new OneSessionDelivery(clientId, local));
  }

  /** How the router hands a message to a session of this node. */
  interface LocalDelivery {

    /** Whether the session can take a message now (for choosing a shared subscription member). Must not block. */
    boolean isAvailable(String clientId);

    /** Delivers {@code message} to the session named by {@code delivery}. */
    void deliver(ApplicationMessage message, Delivery delivery);

    /** A matching shared subscription group had no available member: the message waits for one in its queue. */
    void sharedGroupUnavailable();

    /**
     * The router handed a copy of a QoS 1/2 message to another node: the publisher's acknowledgement waits for
     * {@code taken}, which completes once that node has the copy (and has made it durable if it queued it for a
     * persistent session, or at QoS 1 had it acknowledged by that session's client), or fails if it cannot know.
     */
    void awaitElsewhere(CompletableFuture<Void> taken);

    /**
     * What copies of this message wait for before they may reach a subscriber (a QoS 2 publish of a persistent
     * session: its packet identifier's commit), or null if nothing: a copy for another node is sent after it too.
     */
    CompletableFuture<Void> hold();
  }
}
