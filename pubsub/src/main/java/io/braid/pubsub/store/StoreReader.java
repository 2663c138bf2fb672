package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.StoreCodec.QueueEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * Reads what {@link MVStoreBrokerStore}'s maps hold: everything at start-up ({@link #snapshot}), or one session
 * when another node takes it over ({@link #session}).
 *
 * <p><b>Threading:</b> on the store's writer thread, after its queued entries were written.
 */
final class StoreReader {

  private final String fileName;
  private final MVMap<String, byte[]> sessions;
  private final MVMap<String, byte[]> retained;
  private final MVMap<Long, byte[]> messages;
  private final MVMap<String, byte[]> queues;
  private final MVMap<String, byte[]> inbound;
  private final HistoryMaps histories;

  StoreReader(String fileName, MVMap<String, byte[]> sessions, MVMap<String, byte[]> retained,
      MVMap<Long, byte[]> messages, MVMap<String, byte[]> queues, MVMap<String, byte[]> inbound,
      HistoryMaps histories) {
    this.fileName = fileName;
    this.sessions = sessions;
    this.retained = retained;
    this.messages = messages;
    this.queues = queues;
    this.inbound = inbound;
    this.histories = histories;
  }

  StoreSnapshot snapshot() {
    List<StoredSession> sessionList = new ArrayList<>();
    for (byte[] bytes : sessions.values()) {
      sessionList.add(StoreCodec.decodeSession(bytes));
    }
    long maxId = 0;
    List<ApplicationMessage> retainedList = new ArrayList<>();
    for (byte[] bytes : retained.values()) {
      ApplicationMessage message = StoreCodec.decodeMessage(bytes);
      retainedList.add(message);
      maxId = Math.max(maxId, message.id());
    }
    Long lastMessageId = messages.lastKey();
    if (lastMessageId != null) {
      maxId = Math.max(maxId, lastMessageId);
    }
    Map<Long, ApplicationMessage> shared = new HashMap<>();
    Map<String, List<QueuedMessage>> queueLists = new HashMap<>();
    for (Cursor<String, byte[]> rows = queues.cursor(null); rows.hasNext(); ) {
      String key = rows.next();
      QueueEntry entry = StoreCodec.decodeQueueEntry(rows.getValue());
      ApplicationMessage message = shared.computeIfAbsent(entry.messageId(), this::readMessage);
      queueLists.computeIfAbsent(RowKeys.clientOf(key), id -> new ArrayList<>())
          .add(entry.toQueued(RowKeys.sequenceOf(key), message));
    }
    Map<String, Set<Integer>> inboundIds = new HashMap<>();
    for (String key : inbound.keySet()) {
      inboundIds.computeIfAbsent(RowKeys.clientOf(key), id -> new HashSet<>())
          .add(RowKeys.packetIdOf(key));
    }
    List<StoredHistory> historyList = histories.load();
    for (StoredHistory history : historyList) {
      for (ApplicationMessage message : history.messages()) {
        maxId = Math.max(maxId, message.id());
      }
    }
    return new StoreSnapshot(sessionList, retainedList, queueLists, inboundIds, maxId, historyList);
  }

  /** The session of {@code clientId} with its queue and packet identifiers, read by key range; null if none. */
  SessionState session(String clientId) {
    byte[] record = sessions.get(clientId);
    if (record == null) {
      return null;
    }
    Map<Long, ApplicationMessage> shared = new HashMap<>();
    List<QueuedMessage> queue = new ArrayList<>();
    for (String key : RowKeys.keysOf(queues, clientId)) {
      QueueEntry entry = StoreCodec.decodeQueueEntry(queues.get(key));
      queue.add(entry.toQueued(RowKeys.sequenceOf(key), shared.computeIfAbsent(entry.messageId(), this::readMessage)));
    }
    Set<Integer> inboundIds = new HashSet<>();
    for (String key : RowKeys.keysOf(inbound, clientId)) {
      inboundIds.add(RowKeys.packetIdOf(key));
    }
    return new SessionState(StoreCodec.decodeSession(record), queue, inboundIds);
  }

  private ApplicationMessage readMessage(long id) {
    byte[] bytes = messages.get(id);
    if (bytes == null) {
      throw new StoreException("store file " + fileName + " is inconsistent: a queue entry refers to message " + id
          + ", which is missing");
    }
    return StoreCodec.decodeMessage(bytes);
  }
}
