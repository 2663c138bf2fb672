package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicName;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A store that hands every call to another: the base of a store that adds to some calls (one that also replicates
 * sessions to another node, one whose syncs a test completes). Subclasses override what they change.
 *
 * <p><b>Threading:</b> as the store it forwards to.
 */
public abstract class ForwardingBrokerStore implements BrokerStore {

  protected final BrokerStore delegate;

  protected ForwardingBrokerStore(BrokerStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public StoreSnapshot load() {
    return delegate.load();
  }

  @Override
  public SessionState loadSession(String clientId) {
    return delegate.loadSession(clientId);
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
  public <T> T atomically(Supplier<T> changes) {
    return delegate.atomically(changes);
  }

  @Override
  public CompletableFuture<Void> sync() {
    return delegate.sync();
  }

  @Override
  public int backlog() {
    return delegate.backlog();
  }

  @Override
  public StoreStats stats() {
    return delegate.stats();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
