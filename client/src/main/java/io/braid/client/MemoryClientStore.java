package io.braid.client;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ClientStore#memory()}: keeps nothing beyond what the client holds in memory anyway (its publishes in flight,
 * the QoS 2 identifiers it received), which survives reconnects; so it does no work per message. Stateless.
 */
final class MemoryClientStore implements ClientStore {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final Snapshot EMPTY = new Snapshot(List.of(), Set.of());

  @Override
  public boolean survivesRestart() {
    return false;
  }

  @Override
  public Snapshot load() {
    return EMPTY;
  }

  @Override
  public void putPublish(StoredPublish publish) {
  }

  @Override
  public void releasePublish(int packetId) {
  }

  @Override
  public void removePublish(int packetId) {
  }

  @Override
  public void addReceivedQos2(int packetId) {
  }

  @Override
  public void removeReceivedQos2(int packetId) {
  }

  @Override
  public CompletableFuture<Void> sync() {
    return DONE;
  }

  @Override
  public CompletableFuture<Void> commit() {
    return DONE;
  }

  @Override
  public void close() {
  }
}
