package io.braid.pubsub.store;

import io.braid.pubsub.message.Will;
import io.braid.pubsub.subscription.Subscription;
import java.util.List;
import java.util.Objects;

/**
 * The durable part of a persistent session (MQTT 5.0 §4.1): what must survive a broker restart besides its queued
 * messages and inbound QoS 2 packet identifiers.
 *
 * @param clientId the client identifier
 * @param sessionExpiryInterval seconds the session outlives its network connection; 0xFFFFFFFF never expires
 * @param disconnectedAtMillis when its network connection closed, or {@link #CONNECTED}; the session expires
 *     {@code sessionExpiryInterval} after this
 * @param will the will still to publish, or null
 * @param subscriptions the session's subscriptions
 */
public record StoredSession(String clientId, long sessionExpiryInterval, long disconnectedAtMillis, Will will,
    List<Subscription> subscriptions) {

  /** {@link #disconnectedAtMillis} of a session whose client was connected when it was stored. */
  public static final long CONNECTED = -1;

  public StoredSession {
    Objects.requireNonNull(clientId, "clientId");
    subscriptions = List.copyOf(subscriptions);
  }
}
