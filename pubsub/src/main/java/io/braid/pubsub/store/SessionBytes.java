package io.braid.pubsub.store;

import java.nio.ByteBuffer;

/**
 * A session's stored state as bytes, in the store's own layout: its record ({@link StoredSession}) and its queued
 * messages ({@link QueuedMessage}, each with its message), for carrying a session to another node of the same version
 * (replication, failover). Stateless; any thread.
 */
public final class SessionBytes {

  private SessionBytes() {
  }

  public static byte[] encode(StoredSession session) {
    return StoreCodec.encodeSession(session);
  }

  /**
   * The session record encoded in {@code bytes}.
   *
   * @throws StoreException if the bytes are not an encoded session record
   */
  public static StoredSession decodeSession(byte[] bytes) {
    return StoreCodec.decodeSession(bytes);
  }

  /** {@code queued} with its message: sequence (8 bytes), entry length (4), entry, message. */
  public static byte[] encode(QueuedMessage queued) {
    byte[] entry = StoreCodec.encodeQueueEntry(StoreCodec.QueueEntry.of(queued));
    byte[] message = StoreCodec.encodeMessage(queued.message());
    return ByteBuffer.allocate(Long.BYTES + Integer.BYTES + entry.length + message.length)
        .putLong(queued.sequence()).putInt(entry.length).put(entry).put(message).array();
  }

  /**
   * The queued message encoded in {@code bytes}.
   *
   * @throws StoreException if the bytes are not an encoded queued message
   */
  public static QueuedMessage decodeQueued(byte[] bytes) {
    if (bytes.length < Long.BYTES + Integer.BYTES) {
      throw new StoreException("queued message is truncated");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long sequence = buffer.getLong();
    int entryLength = buffer.getInt();
    if (entryLength < 0 || entryLength > buffer.remaining()) {
      throw new StoreException("queued message entry is truncated");
    }
    byte[] entry = new byte[entryLength];
    buffer.get(entry);
    byte[] message = new byte[buffer.remaining()];
    buffer.get(message);
    return StoreCodec.decodeQueueEntry(entry).toQueued(sequence, StoreCodec.decodeMessage(message));
  }
}
