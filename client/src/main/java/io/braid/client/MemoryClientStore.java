package io.braid.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@link ClientStore#memory()}: maps behind one lock. */
final class MemoryClientStore implements ClientStore {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Map<Integer, StoredPublish> publishes = new LinkedHashMap<>();
  private final Set<Integer> receivedQos2 = new LinkedHashSet<>();

  @Override
  public synchronized Snapshot load() {
    return new Snapshot(new ArrayList<>(publishes.values()), Set.copyOf(receivedQos2));
  }

  @Override
  public synchronized void putPublish(StoredPublish publish) {
    publishes.put(publish.packetId(), publish);
  }

  @Override
  public synchronized void releasePublish(int packetId) {
    publishes.computeIfPresent(packetId, (id, stored) -> new StoredPublish(id, stored.publish(), true));
  }

  @Override
  public synchronized void removePublish(int packetId) {
    publishes.remove(packetId);
  }

  @Override
  public synchronized void addReceivedQos2(int packetId) {
    receivedQos2.add(packetId);
  }

  @Override
  public synchronized void removeReceivedQos2(int packetId) {
    receivedQos2.remove(packetId);
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
