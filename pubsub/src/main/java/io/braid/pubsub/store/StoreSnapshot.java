package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a {@link BrokerStore} holds, as loaded at start-up.
 *
 * @param sessions the persistent sessions
 * @param retained the retained messages, one per topic
 * @param queues per client identifier, its queued and in-flight messages in ascending sequence order
 * @param inboundPacketIds per client identifier, the QoS 2 packet identifiers received and not yet released
 * @param maxMessageId the largest {@link ApplicationMessage#id()} ever stored, or 0; new ids continue above it
 * @param histories the topics' histories
 */
public record StoreSnapshot(List<StoredSession> sessions, List<ApplicationMessage> retained,
    Map<String, List<QueuedMessage>> queues, Map<String, Set<Integer>> inboundPacketIds, long maxMessageId,
    List<StoredHistory> histories) {

  public StoreSnapshot {
    sessions = List.copyOf(sessions);
    retained = List.copyOf(retained);
    queues = Map.copyOf(queues);
    inboundPacketIds = Map.copyOf(inboundPacketIds);
    histories = List.copyOf(histories);
  }

  /** The snapshot of an empty store. */
  public static StoreSnapshot empty() {
    return new StoreSnapshot(List.of(), List.of(), Map.of(), Map.of(), 0, List.of());
  }
}
