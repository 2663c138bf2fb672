package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.StoreCodec.QueueEntry;
import io.braid.pubsub.topic.TopicName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The durable {@link BrokerStore}: one H2 MVStore file, {@value #FILE_NAME}, in the data directory.
 *
 * <p>Every change is applied by one writer thread, in call order, and committed in groups by a
 * {@link GroupCommitter}: a {@link #sync()} completes once a commit that includes every earlier change has been
 * written, and forced to the device under {@link SyncPolicy#FSYNC}. MVStore writes each commit as a new
 * append-only chunk and finds the newest complete chunk on open, so a process killed at any moment, even during a
 * commit, reopens at its last complete commit with no repair step.
 *
 * <p>A queued message is stored once however many sessions queue it: queue entries refer to it by id, and the
 * writer thread counts the references (rebuilt from the entries on open), deleting the message with its last
 * entry. Queue entries are written to the map only when a commit needs them: an entry dequeued before the next
 * commit (a connected subscriber acknowledged it first) is never written at all, nor is its message if no other
 * entry needs it, so a fast subscriber costs the disk nothing but the commit its publisher waits for. Layout (all keys sort so that one client's rows are contiguous):
 * <ul>
 *   <li>{@code sessions}: client id -> session record;</li>
 *   <li>{@code retained}: topic -> message;</li>
 *   <li>{@code messages}: message id -> message;</li>
 *   <li>{@code queues}: client id, NUL, 16 hex digits of sequence -> queue entry;</li>
 *   <li>{@code inbound}: client id, NUL, packet id -> nothing;</li>
 *   <li>{@code history}, {@code historyMeta}: the topics' histories ({@link HistoryMaps});</li>
 *   <li>{@code braid}: {@code format} -> the layout version.</li>
 * </ul>
 * Client identifiers never contain NUL [MQTT-1.5.4-2], so the separator cannot be forged.
 */
public final class MVStoreBrokerStore implements BrokerStore {

  /** The store's file name inside the data directory. */
  public static final String FILE_NAME = "braid.mv.db";
  /** The layout version this code writes and reads. */
  static final String LAYOUT = StoreLayout.CURRENT;
  /** The layout before queue entries recorded whether they were sent; upgraded on open. */
  static final String LAYOUT_WITHOUT_SENT = StoreLayout.WITHOUT_SENT;
  /** Partially filled chunks below this fill rate (percent) are rewritten by maintenance. */
  private static final int TARGET_FILL_RATE = 60;
  /** The most bytes one maintenance pass rewrites, so it never holds the writer thread long. */
  private static final int MAINTENANCE_WRITE_LIMIT = 4 << 20;
  /**
   * How long a chunk no live data is left in is kept before its space is written over, by sync policy. H2's default,
   * 45 s, assumes nothing forces the writes: the file then grows by every commit of the last 45 s (735 MB in 40 s of
   * one durable publisher here, every commit an append) before any space is reused. A chunk may be written over once
   * every commit a crash could fall back to no longer uses it: under {@link SyncPolicy#FSYNC} each commit is forced
   * before the next is written, so at once (1 s is the margin); under {@link SyncPolicy#WRITE} the forces come once
   * a second. No other thread reads the store while the writer commits ({@link GroupCommitter#call}), which is the
   * other reason H2 keeps old chunks. (docs/BENCHMARKS.md, section 26.)
   */
  private static final int FSYNC_RETENTION_MILLIS = 1_000;
  private static final int WRITE_RETENTION_MILLIS = 5_000;
  /**
   * Keys per B-tree page (MVStore's default is 48). A commit rewrites every page it touches whole, and a commit of
   * messages for many sessions touches a leaf per session: at 16, 10,000 persistent subscribers on their own topics
   * got 1.13-1.23x the durable deliveries for 0.81-0.89x the broker CPU each, one subscriber 0.97-0.98x (within the
   * noise); at 8 both got worse (docs/BENCHMARKS.md section 20). Only how pages split: files of any setting read the
   * same.
   */
  private static final int KEYS_PER_PAGE = 16;

  private static final System.Logger LOG = System.getLogger(MVStoreBrokerStore.class.getName());

  private final String fileName;
  private final MVStore mvStore;
  private final MVMap<String, byte[]> sessions;
  private final MVMap<String, byte[]> retained;
  private final MVMap<Long, byte[]> messages;
  private final MVMap<String, byte[]> queues;
  private final MVMap<String, byte[]> inbound;
  private final HistoryMaps histories;
  private final StoreReader reader;
  /** Message id -> the queue entries that refer to it. Confined to the writer thread after open. */
  private final Map<Long, MessageReferences> references = new HashMap<>();
  /** Queue entries enqueued since the last commit, in no map yet. Confined to the writer thread. */
  private final Map<String, QueuedMessage> unwritten = new HashMap<>();
  /**
   * Progress marked since the last commit on entries already written, applied at the next commit: most entries are
   * acknowledged (and dequeued, dropping the mark) before it, and then their row is never rewritten for the mark.
   * Confined to the writer thread.
   */
  private final Map<String, QueuedMessage.Progress> unwrittenProgress = new HashMap<>();
  private final GroupCommitter committer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MVStoreBrokerStore(String fileName, MVStore mvStore, SyncPolicy policy) {
    this.fileName = fileName;
    this.mvStore = mvStore;
    this.sessions = openMap("sessions", new StringDataType());
    this.retained = openMap("retained", new StringDataType());
    this.messages = mvStore.openMap("messages",
        new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.queues = openMap("queues", new StringDataType());
    this.inbound = openMap("inbound", new StringDataType());
    this.histories = new HistoryMaps(mvStore);
    this.reader = new StoreReader(fileName, sessions, retained, messages, queues, inbound, histories);
    StoreLayout.checkOrUpgrade(mvStore, fileName, !sessions.isEmpty() || !queues.isEmpty() || !retained.isEmpty(),
        queues);
    countReferences();
    this.committer = new GroupCommitter("braid-store-writer", new Journal(), policy);
  }

  /**
   * Opens (creating if needed) the store in {@code directory}. Blocking: call at start-up. Throws
   * {@link StoreException} naming the file if it cannot be opened: unreadable or corrupt, written by a newer
   * version, or locked by another process.
   */
  public static MVStoreBrokerStore open(Path directory, SyncPolicy policy) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StoreException("cannot create the data directory " + directory + ": " + e, e);
    }
    return open(directory.resolve(FILE_NAME).toString(), policy);
  }

  /** Opens the store at an H2 file name (a path, or a path behind an H2 file system prefix, as tests use). */
  static MVStoreBrokerStore open(String fileName, SyncPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    MVStore mvStore;
    try {
      mvStore = new MVStore.Builder().fileName(fileName).keysPerPage(KEYS_PER_PAGE).autoCommitDisabled().open();
      mvStore.setRetentionTime(policy == SyncPolicy.FSYNC ? FSYNC_RETENTION_MILLIS : WRITE_RETENTION_MILLIS);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open the store file " + fileName + ": " + GroupCommitter.describe(e)
          + ". If another broker uses this data directory, stop it; if the file is damaged, restore the data "
          + "directory from a backup or move the file away to start with an empty store", e);
    }
    try {
      return new MVStoreBrokerStore(fileName, mvStore, policy);
    } catch (RuntimeException e) {
      mvStore.closeImmediately();
      throw e instanceof StoreException store ? store
          : new StoreException("cannot read the store file " + fileName + ": " + GroupCommitter.describe(e), e);
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public StoreSnapshot load() {
    return committer.call(() -> {
      writeQueuedEntries();
      return reader.snapshot();
    });
  }

  @Override
  public SessionState loadSession(String clientId) {
    return committer.call(() -> {
      writeQueuedEntries();
      return reader.session(clientId);
    });
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void saveSession(StoredSession session) {
    byte[] bytes = StoreCodec.encodeSession(session);
    committer.submit(() -> sessions.put(session.clientId(), bytes));
  }

  @Override
  public void deleteSession(String clientId) {
    String prefix = RowKeys.prefix(clientId);
    committer.submit(() -> {
      sessions.remove(clientId);
      unwrittenProgress.keySet().removeIf(key -> key.startsWith(prefix));
      for (Iterator<Map.Entry<String, QueuedMessage>> pending = unwritten.entrySet().iterator(); pending.hasNext(); ) {
        Map.Entry<String, QueuedMessage> entry = pending.next();
        if (entry.getKey().startsWith(prefix)) {
          pending.remove();
          release(entry.getValue().message().id());
        }
      }
      for (String key : RowKeys.keysOf(queues, clientId)) {
        release(StoreCodec.queueEntryMessageId(queues.remove(key)));
      }
      for (String key : RowKeys.keysOf(inbound, clientId)) {
        inbound.remove(key);
      }
    });
  }

  @Override
  public void saveRetained(ApplicationMessage message) {
    byte[] bytes = StoreCodec.encodeMessage(message);
    committer.submit(() -> retained.put(message.topic().asString(), bytes));
  }

  @Override
  public void deleteRetained(TopicName topic) {
    committer.submit(() -> retained.remove(topic.asString()));
  }

  @Override
  public void enqueue(String clientId, QueuedMessage message) {
    String key = RowKeys.queueKey(clientId, message.sequence());
    committer.submit(() -> {
      references.computeIfAbsent(message.message().id(), id -> new MessageReferences(message.message())).count++;
      unwrittenProgress.remove(key); // a mark of the entry this one replaces; the new entry has its own progress
      QueuedMessage replaced = unwritten.put(key, message);
      if (replaced != null) {
        release(replaced.message().id());
      }
    });
  }

  @Override
  public void dequeue(String clientId, long sequence) {
    String key = RowKeys.queueKey(clientId, sequence);
    committer.submit(() -> {
      unwrittenProgress.remove(key);
      QueuedMessage absorbed = unwritten.remove(key);
      if (absorbed != null) {
        release(absorbed.message().id());
        return;
      }
      byte[] removed = queues.remove(key);
      if (removed != null) {
        release(StoreCodec.queueEntryMessageId(removed));
      }
    });
  }

  @Override
  public void markProgress(String clientId, long sequence, QueuedMessage.Progress progress) {
    String key = RowKeys.queueKey(clientId, sequence);
    committer.submit(() -> {
      QueuedMessage pending = unwritten.get(key);
      if (pending != null) {
        unwritten.put(key, pending.reached(progress)); // not written yet: nothing to rewrite
        return;
      }
      unwrittenProgress.merge(key, progress, BinaryOperator.maxBy(Comparator.naturalOrder()));
    });
  }

  @Override
  public void addInboundPacketId(String clientId, int packetId) {
    String key = RowKeys.inboundKey(clientId, packetId);
    committer.submit(() -> inbound.put(key, new byte[0]));
  }

  @Override
  public void removeInboundPacketId(String clientId, int packetId) {
    String key = RowKeys.inboundKey(clientId, packetId);
    committer.submit(() -> inbound.remove(key));
  }

  @Override
  public void appendHistory(ApplicationMessage message) {
    committer.submit(() -> histories.append(message));
  }

  @Override
  public void trimHistory(TopicName topic, long firstKeptOffset) {
    committer.submit(() -> histories.trim(topic, firstKeptOffset));
  }

  @Override
  public void saveHistoryMeta(TopicName topic, String epoch, long reservedUpTo, long trimmedUpTo, boolean clean) {
    committer.submit(() -> histories.saveMeta(topic, epoch, reservedUpTo, trimmedUpTo, clean));
  }

  @Override
  public void deleteHistory(TopicName topic) {
    committer.submit(() -> histories.delete(topic));
  }

  @Override
  public int backlog() {
    return committer.backlog();
  }

  @Override
  public <T> T atomically(Supplier<T> changes) {
    committer.beginGroup();
    try {
      return changes.get();
    } finally {
      committer.endGroup();
    }
  }

  @Override
  public CompletableFuture<Void> sync() {
    return committer.sync();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    committer.close();
    if (committer.failure() != null || mvStore.getPanicException() != null) {
      mvStore.closeImmediately();
    } else {
      try {
        mvStore.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "closing the store file " + fileName + " failed: " + e, e);
        mvStore.closeImmediately();
      }
    }
  }

  // ---------------------------------------------------------------- statistics

  @Override
  public StoreStats stats() {
    return new StoreStats(committer.commitCount(), committer.syncCount(), committer.commitNanos(),
        committer.forceCount(), committer.forceNanos(), committer.failure() != null);
  }

  /** Stored message bodies (one per message however many sessions queue it); for tests. Blocking. */
  int storedMessageCount() {
    return committer.call(() -> {
      writeQueuedEntries();
      return messages.size();
    });
  }

  // ---------------------------------------------------------------- internals

  private <K> MVMap<K, byte[]> openMap(String name, org.h2.mvstore.type.DataType<K> keyType) {
    return mvStore.openMap(name, new MVMap.Builder<K, byte[]>().keyType(keyType)
        .valueType(ByteArrayDataType.INSTANCE));
  }

  /** Counts the references to each stored message and deletes the messages no entry refers to. At open. */
  private void countReferences() {
    for (byte[] bytes : queues.values()) {
      // decoded whole, not just its id: a damaged entry stops the store at open rather than at its delivery
      references.computeIfAbsent(StoreCodec.decodeQueueEntry(bytes).messageId(), id -> MessageReferences.written())
          .count++;
    }
    List<Long> orphans = new ArrayList<>();
    for (Long id : messages.keySet()) {
      if (!references.containsKey(id)) {
        orphans.add(id);
      }
    }
    for (Long id : orphans) {
      messages.remove(id);
    }
    for (Long id : references.keySet()) {
      if (!messages.containsKey(id)) {
        throw new StoreException("store file " + fileName + " is inconsistent: queued message " + id
            + " is missing");
      }
    }
    if (!orphans.isEmpty()) {
      mvStore.commit();
    }
  }

  /** One queue entry less refers to the message: the last one takes the message with it. */
  private void release(long messageId) {
    MessageReferences refs = references.get(messageId);
    if (refs != null && --refs.count <= 0) {
      references.remove(messageId);
      if (refs.unwritten == null) {
        messages.remove(messageId);
      }
    }
  }

  /**
   * Writes the entries enqueued since the last commit, the messages they refer to that are not written yet, and the
   * progress marked since on entries written before.
   */
  private void writeQueuedEntries() {
    for (Map.Entry<String, QueuedMessage> pending : unwritten.entrySet()) {
      QueuedMessage queued = pending.getValue();
      long id = queued.message().id();
      MessageReferences refs = references.get(id);
      if (refs.unwritten != null) {
        messages.put(id, StoreCodec.encodeMessage(refs.unwritten));
        refs.unwritten = null;
      }
      byte[] replaced = queues.put(pending.getKey(), StoreCodec.encodeQueueEntry(QueueEntry.of(queued)));
      if (replaced != null) {
        release(StoreCodec.queueEntryMessageId(replaced));
      }
    }
    unwritten.clear();
    for (Map.Entry<String, QueuedMessage.Progress> mark : unwrittenProgress.entrySet()) {
      byte[] current = queues.get(mark.getKey());
      if (current != null) {
        byte[] next = StoreCodec.queueEntryReached(current, mark.getValue());
        if (next != current) {
          queues.put(mark.getKey(), next);
        }
      }
    }
    unwrittenProgress.clear();
  }

  /** The queue entries referring to one message; the message itself until it is written. Writer thread only. */
  private static final class MessageReferences {
    int count;
    /** The message while no commit has written it to the messages map yet; null once it is there. */
    ApplicationMessage unwritten;

    MessageReferences(ApplicationMessage unwritten) {
      this.unwritten = unwritten;
    }

    static MessageReferences written() {
      return new MessageReferences(null);
    }
  }

  /** Commits and compacts the MVStore on the committer's thread. */
  private final class Journal implements GroupCommitter.Journal {

    @Override
    public void write() {
      writeQueuedEntries();
      mvStore.commit();
      throwIfPanicked();
    }

    @Override
    public void force() {
      mvStore.sync();
    }

    @Override
    public void maintain() {
      if (mvStore.compact(TARGET_FILL_RATE, MAINTENANCE_WRITE_LIMIT)) {
        mvStore.commit();
        throwIfPanicked();
      }
    }

    /** MVStore reports a failed write by closing itself ("panic") and keeping the exception; surface it. */
    private void throwIfPanicked() {
      RuntimeException panic = mvStore.getPanicException();
      if (panic != null) {
        throw panic;
      }
    }
  }
}
