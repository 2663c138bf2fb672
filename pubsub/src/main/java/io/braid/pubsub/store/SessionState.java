package io.braid.pubsub.store;

import io.braid.pubsub.message.Will;
import java.util.List;
import java.util.Set;

/**
 * One persistent session as stored: its record, its queued and in-flight messages in ascending sequence order, and
 * the QoS 2 packet identifiers it received and has not released. What moves when another node takes a session over.
 */
public record SessionState(StoredSession session, List<QueuedMessage> queue, Set<Integer> inboundPacketIds) {

  public SessionState {
    queue = List.copyOf(queue);
    inboundPacketIds = Set.copyOf(inboundPacketIds);
  }

  public String clientId() {
    return session.clientId();
  }

  /** Every session of {@code snapshot}, with its queue and packet identifiers. */
  public static List<SessionState> of(StoreSnapshot snapshot) {
    return snapshot.sessions().stream().map(stored -> new SessionState(stored,
        snapshot.queues().getOrDefault(stored.clientId(), List.of()),
        snapshot.inboundPacketIds().getOrDefault(stored.clientId(), Set.of()))).toList();
  }

  /** This state with the session's will replaced by {@code will} (null: none). */
  public SessionState withWill(Will will) {
    StoredSession s = session;
    return new SessionState(new StoredSession(s.clientId(), s.sessionExpiryInterval(), s.disconnectedAtMillis(), will,
        s.subscriptions()), queue, inboundPacketIds);
  }
}
