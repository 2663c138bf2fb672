package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An in-memory store whose syncs complete only when the test says so. */
public final class ControlledStore implements BrokerStore {
  private final InMemoryStore delegate = new InMemoryStore();
  private final List<CompletableFuture<Void>> pending = new ArrayList<>();

  @Override
  public StoreSnapshot load() {
    return delegate.load();
  }

  @Override
  public void saveSession(StoredSession session) {
    delegate.saveSession(session);
  }

  @Override
  public void deleteSession(String clientId) {
    delegate.deleteSession(clientId);
  }

  @Override
  public void saveRetained(ApplicationMessage message) {
    delegate.saveRetained(message);
  }

  @Override
  public void deleteRetained(TopicName topic) {
    delegate.deleteRetained(topic);
  }

  @Override
  public void enqueue(String clientId, QueuedMessage message) {
    delegate.enqueue(clientId, message);
  }

  @Override
  public void dequeue(String clientId, long sequence) {
    delegate.dequeue(clientId, sequence);
  }

  @Override
  public void markProgress(String clientId, long sequence, QueuedMessage.Progress progress) {
    delegate.markProgress(clientId, sequence, progress);
  }

  @Override
  public void addInboundPacketId(String clientId, int packetId) {
    delegate.addInboundPacketId(clientId, packetId);
  }

  @Override
  public void removeInboundPacketId(String clientId, int packetId) {
    delegate.removeInboundPacketId(clientId, packetId);
  }

  @Override
  public void appendHistory(ApplicationMessage message) {
    delegate.appendHistory(message);
  }

  @Override
  public void trimHistory(TopicName topic, long firstKeptOffset) {
    delegate.trimHistory(topic, firstKeptOffset);
  }

  @Override
  public void saveHistoryMeta(TopicName topic, String epoch, long reservedUpTo, long trimmedUpTo, boolean clean) {
    delegate.saveHistoryMeta(topic, epoch, reservedUpTo, trimmedUpTo, clean);
  }

  @Override
  public void deleteHistory(TopicName topic) {
    delegate.deleteHistory(topic);
  }

  @Override
  public synchronized CompletableFuture<Void> sync() {
    CompletableFuture<Void> future = new CompletableFuture<>();
    pending.add(future);
    return future;
  }

  /** What {@link #backlog()} answers: how far behind the store pretends to be. */
  public volatile int backlog;

  @Override
  public int backlog() {
    return backlog;
  }

  public synchronized void completeSyncs() {
    pending.forEach(future -> future.complete(null));
    pending.clear();
  }

  public synchronized void failSyncs(StoreException failure) {
    pending.forEach(future -> future.completeExceptionally(failure));
    pending.clear();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
