package io.braid.pubsub.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.h2.mvstore.MVMap;

/**
 * The keys of the durable store's per-client rows (queued messages, inbound QoS 2 packet identifiers): the client
 * identifier, NUL, then the row's own part, so that one client's rows are adjacent and in order. Stateless.
 */
final class RowKeys {

  private static final char SEPARATOR = '\u0000';
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RowKeys() {
  }

  /** {@code clientId NUL}: every key of the client's rows starts with it. */
  static String prefix(String clientId) {
    return clientId + SEPARATOR;
  }

  /** {@code clientId NUL} and 16 lower-case hex digits of {@code sequence}, which sort as the numbers do. */
  static String queueKey(String clientId, long sequence) {
    StringBuilder key = new StringBuilder(clientId.length() + 17).append(clientId).append(SEPARATOR);
    for (int shift = 60; shift >= 0; shift -= 4) {
      key.append(HEX[(int) (sequence >>> shift) & 0xF]);
    }
    return key.toString();
  }

  static String inboundKey(String clientId, int packetId) {
    return clientId + SEPARATOR + packetId;
  }

  static String clientOf(String key) {
    return key.substring(0, key.indexOf(SEPARATOR));
  }

  /** The sequence of a {@link #queueKey}. */
  static long sequenceOf(String key) {
    return Long.parseUnsignedLong(key.substring(key.indexOf(SEPARATOR) + 1), 16);
  }

  /** The packet identifier of an {@link #inboundKey}. */
  static int packetIdOf(String key) {
    return Integer.parseInt(key.substring(key.indexOf(SEPARATOR) + 1));
  }

  /** The keys of {@code clientId}'s rows: from {@code clientId NUL} up to, excluding, {@code clientId \u0001}. */
  static List<String> keysOf(MVMap<String, byte[]> map, String clientId) {
    String from = prefix(clientId);
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = map.keyIterator(from); it.hasNext(); ) {
      String key = it.next();
      if (!key.startsWith(from)) {
        break;
      }
      keys.add(key);
    }
    return keys;
  }
}
