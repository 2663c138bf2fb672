package io.braid.server.frontend;

import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.topic.TopicFilter;

/**
 * Where a connected client's deliveries go, per subscription: the part of a connection that carries them (Braid's
 * subscription streams). The session reaches it through the connection's {@link DeferredLink}; the methods and
 * their threading are those of {@link io.braid.pubsub.broker.ClientLink}.
 */
public interface DeliveryTarget {

  /** Whether {@code subscription} can take another PUBLISH or PUBREL now. */
  boolean writable(TopicFilter subscription);

  /** Sends a delivery; false if the client cannot take it at all (too large). */
  boolean sendPublish(OutboundPublish publish);

  /** Sends PUBREL for a QoS 2 delivery. */
  void sendPubRel(TopicFilter subscription, int packetId);
}
