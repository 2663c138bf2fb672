package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The histories' part of {@link MVStoreBrokerStore}'s file:
 * <ul>
 *   <li>{@code historyLog}: append sequence -> message (with its topic and position), every topic's messages in one
 *       append-only log, so that a write touches only the newest pages however many topics are written to;</li>
 *   <li>{@code historyMeta}: topic -> epoch, offsets reserved, newest trimmed, clean stop.</li>
 * </ul>
 * A topic's messages are appended in offset order (under its log's lock, through the one writer thread), so the log
 * holds each topic's messages in offset order too. Which rows belong to which topic is kept in memory (rebuilt by
 * {@link #load()}), for trimming.
 *
 * <p>Confined to the store's writer thread, like the other maps ({@link #load()} runs before any change).
 */
final class HistoryMaps {

  private final MVMap<Long, byte[]> log;
  private final MVMap<String, byte[]> meta;
  /** Per topic, the rows of its kept messages, oldest first: {offset, log key}. */
  private final Map<TopicName, ArrayDeque<long[]>> rows = new HashMap<>();
  private long nextKey;

  HistoryMaps(MVStore store) {
    this.log = store.openMap("historyLog", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE)
        .valueType(ByteArrayDataType.INSTANCE));
    this.meta = store.openMap("historyMeta", new MVMap.Builder<String, byte[]>().keyType(new StringDataType())
        .valueType(ByteArrayDataType.INSTANCE));
    Long last = log.lastKey();
    this.nextKey = last == null ? 1 : last + 1;
  }

  void append(ApplicationMessage message) {
    long key = nextKey++;
    log.put(key, StoreCodec.encodeMessage(message));
    rows.computeIfAbsent(message.topic(), topic -> new ArrayDeque<>())
        .addLast(new long[] {message.position().offset(), key});
  }

  void trim(TopicName topic, long firstKeptOffset) {
    ArrayDeque<long[]> kept = rows.get(topic);
    if (kept == null) {
      return;
    }
    while (!kept.isEmpty() && kept.peekFirst()[0] < firstKeptOffset) {
      log.remove(kept.pollFirst()[1]);
    }
    if (kept.isEmpty()) {
      rows.remove(topic);
    }
  }

  void saveMeta(TopicName topic, String epoch, long reservedUpTo, long trimmedUpTo, boolean clean) {
    meta.put(topic.asString(), StoreCodec.encodeHistoryMeta(epoch, reservedUpTo, trimmedUpTo, clean));
  }

  void delete(TopicName topic) {
    meta.remove(topic.asString());
    trim(topic, Long.MAX_VALUE);
  }

  /** Every history, its messages in offset order; rows of a topic without meta (none expected) are removed. */
  List<StoredHistory> load() {
    rows.clear();
    Map<TopicName, List<ApplicationMessage>> messages = new HashMap<>();
    for (Cursor<Long, byte[]> cursor = log.cursor(null); cursor.hasNext(); ) {
      long key = cursor.next();
      ApplicationMessage message = StoreCodec.decodeMessage(cursor.getValue());
      messages.computeIfAbsent(message.topic(), topic -> new ArrayList<>()).add(message);
      rows.computeIfAbsent(message.topic(), topic -> new ArrayDeque<>())
          .addLast(new long[] {message.position().offset(), key});
    }
    List<StoredHistory> histories = new ArrayList<>();
    for (Cursor<String, byte[]> cursor = meta.cursor(null); cursor.hasNext(); ) {
      TopicName topic = StoreCodec.topic(cursor.next());
      StoredHistory record = StoreCodec.decodeHistoryMeta(topic, cursor.getValue());
      histories.add(new StoredHistory(topic, record.epoch(), record.reservedUpTo(), record.trimmedUpTo(),
          record.clean(), messages.getOrDefault(topic, List.of())));
      messages.remove(topic);
    }
    for (TopicName orphan : messages.keySet()) {
      trim(orphan, Long.MAX_VALUE);
    }
    return histories;
  }

  boolean isEmpty() {
    return meta.isEmpty();
  }
}
