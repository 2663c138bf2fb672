package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicName;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The broker's durable state: persistent sessions with their subscriptions, retained messages, the QoS 1/2 messages
 * queued for or in flight to persistent sessions, inbound QoS 2 packet identifiers awaiting PUBREL, and the
 * histories of the topics that keep one.
 *
 * <p><b>Writes</b> never block: each mutator only records the change, and changes are applied in the order the
 * calls were made (calls from different threads are ordered by the happens-before order of the calls). A change
 * is durable once a {@link #sync()} called after it completes: call {@code sync()} after the writes a QoS 1/2
 * acknowledgement depends on, and acknowledge when it completes. Implementations batch the writes of many callers
 * into one commit (group commit), so that durability costs one disk sync per batch, not per message.
 *
 * <p><b>Failures</b> (disk full, I/O error, a store closed after an earlier failure) complete {@code sync()}
 * exceptionally with a {@link StoreException}; the caller must then refuse to acknowledge. Mutators never throw for
 * I/O reasons.
 *
 * <p>All methods are thread safe. {@link #load()} blocks and is meant for start-up, before any write.
 */
public interface BrokerStore extends AutoCloseable {

  /** Everything stored, for recovery at start-up. Blocking. Throws {@link StoreException} if unreadable. */
  StoreSnapshot load();

  /**
   * The stored state of one session, or null if there is none. Blocking, and not on a thread of the store. The
   * default loads everything and keeps the one.
   */
  default SessionState loadSession(String clientId) {
    return SessionState.of(load()).stream().filter(state -> state.clientId().equals(clientId)).findFirst()
        .orElse(null);
  }

  /** Creates or replaces the session with this client identifier. */
  void saveSession(StoredSession session);

  /** Deletes the session with its queued messages and inbound packet identifiers (session end, clean start). */
  void deleteSession(String clientId);

  /** Stores {@code message} as the retained message of its topic, replacing any other. */
  void saveRetained(ApplicationMessage message);

  /** Deletes the retained message of {@code topic}, if any. */
  void deleteRetained(TopicName topic);

  /** Queues {@code message} for the session. */
  void enqueue(String clientId, QueuedMessage message);

  /** Removes the session's message with {@code sequence}: delivered (PUBACK, PUBCOMP), expired or dropped. */
  void dequeue(String clientId, long sequence);

  /**
   * Records how far the delivery of the session's message with {@code sequence} went: {@code SENT} when first sent
   * (so that only it is resent with DUP after a restart), {@code RELEASED} for QoS 2 once PUBREC came and PUBREL
   * went. Progress never goes back: recording an earlier stage than the stored one changes nothing.
   */
  void markProgress(String clientId, long sequence, QueuedMessage.Progress progress);

  /** Records an inbound QoS 2 packet identifier that was received and not yet released by PUBREL. */
  void addInboundPacketId(String clientId, int packetId);

  /** Forgets an inbound QoS 2 packet identifier (PUBREL received). */
  void removeInboundPacketId(String clientId, int packetId);

  /** Appends {@code message}, which has a {@link ApplicationMessage#position()}, to its topic's history. */
  void appendHistory(ApplicationMessage message);

  /** Removes the messages of {@code topic}'s history below {@code firstKeptOffset}. */
  void trimHistory(TopicName topic, long firstKeptOffset);

  /**
   * Records {@code topic}'s history: its epoch, the offsets reserved for it, the newest offset trimmed, and whether
   * this is the record of a clean stop (then {@code reservedUpTo} is exactly the next offset).
   */
  void saveHistoryMeta(TopicName topic, String epoch, long reservedUpTo, long trimmedUpTo, boolean clean);

  /** Deletes {@code topic}'s history (no rule keeps it any more). */
  void deleteHistory(TopicName topic);

  /**
   * Runs {@code changes}, which records changes from the calling thread, so that they become durable together or
   * not at all: a crash never leaves some of them stored without the rest. Other threads' changes are not held up
   * or reordered. A {@link #sync()} should be called after, not inside: one made inside waits for the whole group.
   * The default runs {@code changes} as they are, for a store whose every change is durable at once or never.
   */
  default <T> T atomically(Supplier<T> changes) {
    return changes.get();
  }

  /**
   * Completes when every change recorded before this call is durable, or exceptionally with a
   * {@link StoreException} if it cannot be made so. Never blocks; the future may complete on a store thread, so
   * callers hop back to their own thread before touching their state.
   */
  CompletableFuture<Void> sync();

  /**
   * How many changes wait to be written: a store that falls behind (a QoS 0 flood into topic histories, which no
   * acknowledgement paces) makes publishers wait for {@link #sync()} until it catches up. 0 for a store that writes
   * at once.
   */
  default int backlog() {
    return 0;
  }

  /** Counters since the store opened; {@link StoreStats#NONE} for a store without a disk. */
  default StoreStats stats() {
    return StoreStats.NONE;
  }

  /** Makes every recorded change durable and releases the store; later calls fail. Blocking. */
  @Override
  void close();
}
