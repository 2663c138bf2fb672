package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link BrokerStore} in memory: nothing survives the process, but a broker restarted on the same instance in the
 * same process recovers everything (which is how the tests exercise recovery without a disk). {@link #sync()} is
 * complete at once. Lock-free: concurrent maps throughout.
 */
public final class InMemoryStore implements BrokerStore {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Map<String, StoredSession> sessions = new ConcurrentHashMap<>();
  private final Map<TopicName, ApplicationMessage> retained = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentSkipListMap<Long, QueuedMessage>> queues = new ConcurrentHashMap<>();
  private final Map<String, Set<Integer>> inbound = new ConcurrentHashMap<>();
  private final Map<TopicName, StoredHistory> historyMeta = new ConcurrentHashMap<>();
  private final Map<TopicName, ConcurrentSkipListMap<Long, ApplicationMessage>> histories = new ConcurrentHashMap<>();
  private volatile boolean closed;

  @Override
  public StoreSnapshot load() {
    long maxId = 0;
    Map<String, List<QueuedMessage>> queueCopies = new HashMap<>();
    for (Map.Entry<String, ConcurrentSkipListMap<Long, QueuedMessage>> entry : queues.entrySet()) {
      List<QueuedMessage> queue = new ArrayList<>(entry.getValue().values());
      if (!queue.isEmpty()) {
        queueCopies.put(entry.getKey(), queue);
      }
      for (QueuedMessage message : queue) {
        maxId = Math.max(maxId, message.message().id());
      }
    }
    for (ApplicationMessage message : retained.values()) {
      maxId = Math.max(maxId, message.id());
    }
    Map<String, Set<Integer>> inboundCopies = new HashMap<>();
    inbound.forEach((clientId, ids) -> {
      if (!ids.isEmpty()) {
        inboundCopies.put(clientId, Set.copyOf(ids));
      }
    });
    List<StoredHistory> historyCopies = new ArrayList<>();
    for (StoredHistory meta : historyMeta.values()) {
      List<ApplicationMessage> kept = new ArrayList<>(histories.getOrDefault(meta.topic(),
          new ConcurrentSkipListMap<>()).values());
      for (ApplicationMessage message : kept) {
        maxId = Math.max(maxId, message.id());
      }
      historyCopies.add(new StoredHistory(meta.topic(), meta.epoch(), meta.reservedUpTo(), meta.trimmedUpTo(),
          meta.clean(), kept));
    }
    return new StoreSnapshot(new ArrayList<>(sessions.values()), new ArrayList<>(retained.values()), queueCopies,
        inboundCopies, maxId, historyCopies);
  }

  /** The one session's state, without copying every other (a session moving away reads its own only). */
  @Override
  public SessionState loadSession(String clientId) {
    StoredSession session = sessions.get(clientId);
    if (session == null) {
      return null;
    }
    ConcurrentSkipListMap<Long, QueuedMessage> queue = queues.get(clientId);
    Set<Integer> ids = inbound.get(clientId);
    return new SessionState(session, queue == null ? List.of() : new ArrayList<>(queue.values()),
        ids == null ? Set.of() : ids);
  }

  @Override
  public void saveSession(StoredSession session) {
    sessions.put(session.clientId(), session);
  }

  @Override
  public void deleteSession(String clientId) {
    sessions.remove(clientId);
    queues.remove(clientId);
    inbound.remove(clientId);
  }

  @Override
  public void saveRetained(ApplicationMessage message) {
    retained.put(message.topic(), message);
  }

  @Override
  public void deleteRetained(TopicName topic) {
    retained.remove(topic);
  }

  @Override
  public void enqueue(String clientId, QueuedMessage message) {
    queues.computeIfAbsent(clientId, id -> new ConcurrentSkipListMap<>()).put(message.sequence(), message);
  }

  @Override
  public void dequeue(String clientId, long sequence) {
    ConcurrentSkipListMap<Long, QueuedMessage> queue = queues.get(clientId);
    if (queue != null) {
      queue.remove(sequence);
    }
  }

  @Override
  public void markProgress(String clientId, long sequence, QueuedMessage.Progress progress) {
    ConcurrentSkipListMap<Long, QueuedMessage> queue = queues.get(clientId);
    if (queue != null) {
      queue.computeIfPresent(sequence, (key, message) -> message.reached(progress));
    }
  }

  @Override
  public void addInboundPacketId(String clientId, int packetId) {
    inbound.computeIfAbsent(clientId, id -> ConcurrentHashMap.newKeySet()).add(packetId);
  }

  @Override
  public void removeInboundPacketId(String clientId, int packetId) {
    Set<Integer> ids = inbound.get(clientId);
    if (ids != null) {
      ids.remove(packetId);
    }
  }

  @Override
  public void appendHistory(ApplicationMessage message) {
    histories.computeIfAbsent(message.topic(), topic -> new ConcurrentSkipListMap<>())
        .put(message.position().offset(), message);
  }

  @Override
  public void trimHistory(TopicName topic, long firstKeptOffset) {
    ConcurrentSkipListMap<Long, ApplicationMessage> history = histories.get(topic);
    if (history != null) {
      history.headMap(firstKeptOffset).clear();
    }
  }

  @Override
  public void saveHistoryMeta(TopicName topic, String epoch, long reservedUpTo, long trimmedUpTo, boolean clean) {
    historyMeta.put(topic, new StoredHistory(topic, epoch, reservedUpTo, trimmedUpTo, clean, List.of()));
  }

  @Override
  public void deleteHistory(TopicName topic) {
    historyMeta.remove(topic);
    histories.remove(topic);
  }

  @Override
  public CompletableFuture<Void> sync() {
    return closed ? CompletableFuture.failedFuture(new StoreException("store is closed")) : DONE;
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Reopens after {@link #close()}, for restart tests that reuse the instance. */
  public InMemoryStore reopen() {
    closed = false;
    return this;
  }
}
