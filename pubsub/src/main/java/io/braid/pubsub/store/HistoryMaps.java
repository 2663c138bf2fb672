package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The histories' part of {@link MVStoreBrokerStore}'s file:
 * <ul>
 *   <li>{@code history}: topic, NUL, 16 hex digits of offset -> message (with its position);</li>
 *   <li>{@code historyMeta}: topic -> epoch, offsets reserved, newest trimmed, clean stop.</li>
 * </ul>
 * Topic names never contain NUL [MQTT-4.7.3-2], so one topic's rows are contiguous and in offset order.
 *
 * <p>Confined to the store's writer thread, like the other maps.
 */
final class HistoryMaps {

  private static final char SEPARATOR = '\u0000';

  private final MVMap<String, byte[]> messages;
  private final MVMap<String, byte[]> meta;

  HistoryMaps(MVStore store) {
    this.messages = store.openMap("history", new MVMap.Builder<String, byte[]>().keyType(new StringDataType())
        .valueType(ByteArrayDataType.INSTANCE));
    this.meta = store.openMap("historyMeta", new MVMap.Builder<String, byte[]>().keyType(new StringDataType())
        .valueType(ByteArrayDataType.INSTANCE));
  }

  void append(ApplicationMessage message) {
    messages.put(key(message.topic(), message.position().offset()), StoreCodec.encodeMessage(message));
  }

  void trim(TopicName topic, long firstKeptOffset) {
    String end = key(topic, firstKeptOffset);
    List<String> doomed = new ArrayList<>();
    for (Cursor<String, byte[]> rows = messages.cursor(key(topic, 0)); rows.hasNext(); ) {
      String key = rows.next();
      if (key.compareTo(end) >= 0) {
        break;
      }
      doomed.add(key);
    }
    doomed.forEach(messages::remove);
  }

  void saveMeta(TopicName topic, String epoch, long reservedUpTo, long trimmedUpTo, boolean clean) {
    meta.put(topic.asString(), StoreCodec.encodeHistoryMeta(epoch, reservedUpTo, trimmedUpTo, clean));
  }

  void delete(TopicName topic) {
    meta.remove(topic.asString());
    trim(topic, Long.MAX_VALUE >>> 4); // beyond any offset that 16 hex digits write
  }

  /** Every history, its messages in offset order. */
  List<StoredHistory> load() {
    List<StoredHistory> histories = new ArrayList<>();
    for (Cursor<String, byte[]> rows = meta.cursor(null); rows.hasNext(); ) {
      TopicName topic = StoreCodec.topic(rows.next());
      StoredHistory record = StoreCodec.decodeHistoryMeta(topic, rows.getValue());
      List<ApplicationMessage> kept = new ArrayList<>();
      for (Cursor<String, byte[]> history = messages.cursor(key(topic, 0)); history.hasNext(); ) {
        String key = history.next();
        if (!key.startsWith(topic.asString() + SEPARATOR)) {
          break;
        }
        kept.add(StoreCodec.decodeMessage(history.getValue()));
      }
      histories.add(new StoredHistory(topic, record.epoch(), record.reservedUpTo(), record.trimmedUpTo(),
          record.clean(), kept));
    }
    return histories;
  }

  boolean isEmpty() {
    return meta.isEmpty();
  }

  private static String key(TopicName topic, long offset) {
    return topic.asString() + SEPARATOR + String.format("%016x", offset);
  }
}
