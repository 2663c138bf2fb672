package io.braid.client;

import io.braid.protocol.message.TopicPosition;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * {@link ClientStore#file}: one H2 MVStore file. Changes go to its in-memory maps at once; {@link #commit()} writes
 * them to the file and {@link #sync()} also forces it to disk, both on one background thread, so callers never block
 * on the disk. Publishes are kept
 * in the order they were made (a sequence number leads each key).
 */
final class MVStoreClientStore implements ClientStore {

  private final MVStore store;
  /** sequence -> packet id, released flag and the encoded PUBLISH. */
  private final MVMap<Long, byte[]> publishes;
  /** packet id -> sequence, to find a publish by its identifier. */
  private final MVMap<Integer, Long> sequences;
  private final MVMap<Integer, Boolean> receivedQos2;
  /** topic filter -> "epoch offset" of the last message handled. */
  private final MVMap<String, String> positions;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "braid-client-store");
    thread.setDaemon(true);
    return thread;
  });
  private long nextSequence;

  private MVStoreClientStore(MVStore store) {
    this.store = store;
    this.publishes = store.openMap("publishes");
    this.sequences = store.openMap("sequences");
    this.receivedQos2 = store.openMap("receivedQos2");
    this.positions = store.openMap("positions");
    Long last = publishes.lastKey();
    this.nextSequence = last == null ? 1 : last + 1;
  }

  static MVStoreClientStore open(Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of the client store " + path, e);
    }
    return new MVStoreClientStore(new MVStore.Builder().fileName(path.toString()).autoCommitDisabled().open());
  }

  @Override
  public synchronized Snapshot load() {
    List<StoredPublish> list = new ArrayList<>();
    for (Map.Entry<Long, byte[]> entry : publishes.entrySet()) {
      list.add(decode(entry.getValue()));
    }
    return new Snapshot(list, new HashSet<>(receivedQos2.keySet()));
  }

  @Override
  public synchronized void putPublish(StoredPublish publish) {
    Long previous = sequences.get(publish.packetId());
    long sequence = previous != null ? previous : nextSequence++;
    publishes.put(sequence, encode(publish));
    sequences.put(publish.packetId(), sequence);
  }

  @Override
  public synchronized void releasePublish(int packetId) {
    Long sequence = sequences.get(packetId);
    if (sequence != null) {
      StoredPublish stored = decode(publishes.get(sequence));
      publishes.put(sequence, encode(new StoredPublish(packetId, stored.publish(), true)));
    }
  }

  @Override
  public synchronized void removePublish(int packetId) {
    Long sequence = sequences.remove(packetId);
    if (sequence != null) {
      publishes.remove(sequence);
    }
  }

  @Override
  public synchronized void addReceivedQos2(int packetId) {
    receivedQos2.put(packetId, Boolean.TRUE);
  }

  @Override
  public synchronized void removeReceivedQos2(int packetId) {
    receivedQos2.remove(packetId);
  }

  @Override
  public synchronized void savePosition(String filter, TopicPosition position) {
    positions.put(filter, position.epoch() + " " + position.offset());
  }

  @Override
  public synchronized TopicPosition position(String filter) {
    String saved = positions.get(filter);
    if (saved == null) {
      return null;
    }
    int space = saved.lastIndexOf(' ');
    return new TopicPosition(saved.substring(0, space), Long.parseLong(saved.substring(space + 1)));
  }

  @Override
  public CompletableFuture<Void> commit() {
    return CompletableFuture.runAsync(() -> {
      synchronized (this) {
        store.commit(); // a new chunk written to the file: the operating system has it
      }
    }, writer);
  }

  @Override
  public CompletableFuture<Void> sync() {
    return CompletableFuture.runAsync(() -> {
      synchronized (this) {
        store.commit();
      }
      store.sync();
    }, writer);
  }

  @Override
  public synchronized void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  private static byte[] encode(StoredPublish publish) {
    return Buffer.buffer().appendInt(publish.packetId()).appendByte((byte) (publish.released() ? 1 : 0))
        .appendBuffer(publish.publish()).getBytes();
  }

  private static StoredPublish decode(byte[] bytes) {
    Buffer buffer = Buffer.buffer(bytes);
    return new StoredPublish(buffer.getInt(0), buffer.getBuffer(5, buffer.length()), buffer.getByte(4) == 1);
  }

  /** For tests: the publishes and received identifiers stored. */
  synchronized Set<Integer> storedPacketIds() {
    return new HashSet<>(sequences.keySet());
  }
}
