package io.braid.client;

import io.braid.protocol.message.TopicPosition;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a client must remember to lose nothing and deliver nothing twice: its QoS 1/2 publishes until acknowledged
 * (to send them again with DUP after a reconnect, or a restart of the process), and the QoS 2 packet identifiers it
 * received and has not seen released (so that a redelivered QoS 2 message reaches the application once); and the
 * history position each topic subscription reached (to resume after it in a later run).
 *
 * <p>Implementations are thread safe; writes never block, and {@link #commit()} and {@link #sync()} complete once
 * everything written before them is durable.
 */
public interface ClientStore extends AutoCloseable {

  /** A publish in flight: its packet identifier, the encoded PUBLISH, and whether its PUBREC came (QoS 2). */
  record StoredPublish(int packetId, Buffer publish, boolean released) {
  }

  /** What was stored: publishes in the order they were made, and the received QoS 2 identifiers. */
  record Snapshot(List<StoredPublish> publishes, Set<Integer> receivedQos2) {
  }

  /**
   * Whether what is stored survives a restart of the process; when not, the client skips the store on its path (what
   * it holds in memory already survives reconnects). True unless overridden.
   */
  default boolean survivesRestart() {
    return true;
  }

  Snapshot load();

  void putPublish(StoredPublish publish);

  void releasePublish(int packetId);

  void removePublish(int packetId);

  void addReceivedQos2(int packetId);

  void removeReceivedQos2(int packetId);

  /**
   * Remembers the history position of the last message a subscription to the topic {@code filter} handled, so that
   * a later run can start after it. Nothing by default.
   */
  default void savePosition(String filter, TopicPosition position) {
  }

  /** The last position saved for {@code filter}, or null. */
  default TopicPosition position(String filter) {
    return null;
  }

  /** Completes once every change made before it is durable, also against a crash of the machine (fsync). */
  CompletableFuture<Void> sync();

  /**
   * Completes once every change made before it survives the death of the process ({@code kill -9}): written to the
   * operating system, not yet forced to the disk. Cheaper than {@link #sync()}.
   */
  CompletableFuture<Void> commit();

  @Override
  void close();

  /** The default: nothing beyond the client's memory, which survives reconnects, not a restart of the process. */
  static ClientStore memory() {
    return new MemoryClientStore();
  }

  /** A store in an H2 MVStore file, created if absent: it survives a restart of the process. */
  static ClientStore file(Path path) {
    return MVStoreClientStore.open(path);
  }
}
