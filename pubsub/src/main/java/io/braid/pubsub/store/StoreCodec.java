package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.HistoryPosition;
import io.braid.pubsub.message.MessageProperty;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.subscription.Subscription;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicLimits;
import io.braid.pubsub.topic.TopicName;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of the durable store's values: messages, sessions and queue entries. Big-endian, length-prefixed,
 * each value led by a format byte so that a later layout can still read this one. Topic strings are re-parsed on
 * read with the widest limits, since the broker validated them when they were stored, possibly under other limits.
 *
 * <p>Stateless; safe for any thread.
 */
final class StoreCodec {

  /** The layout version written as the first byte of every value. */
  static final int FORMAT = 1;
  /** The layout of a message with a history position: format 1's fields, then the epoch and the offset. */
  static final int FORMAT_WITH_POSITION = 2;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /** Stored topics were validated when received; on read only their syntax matters, not today's limits. */
  private static final TopicLimits STORED = new TopicLimits(TopicLimits.MQTT_MAX_LENGTH_BYTES, Integer.MAX_VALUE);

  private StoreCodec() {
  }

  /** One queue entry: the message is stored once, apart, and referenced by its id. */
  record QueueEntry(long messageId, TopicFilter subscription, int qos, boolean retain,
      List<Integer> subscriptionIdentifiers, QueuedMessage.Progress progress) {

    static QueueEntry of(QueuedMessage queued) {
      return new QueueEntry(queued.message().id(), queued.subscription(), queued.qos(), queued.retain(),
          queued.subscriptionIdentifiers(), queued.progress());
    }

    QueuedMessage toQueued(long sequence, ApplicationMessage message) {
      return new QueuedMessage(sequence, subscription, message, qos, retain, subscriptionIdentifiers, progress);
    }

    QueueEntry reached(QueuedMessage.Progress reached) {
      if (reached.compareTo(progress) <= 0) {
        return this;
      }
      return new QueueEntry(messageId, subscription, qos, retain, subscriptionIdentifiers, reached);
    }
  }

  static byte[] encodeMessage(ApplicationMessage message) {
    if (message.position() == null) {
      return write(out -> writeMessage(out, message));
    }
    return write(FORMAT_WITH_POSITION, out -> {
      writeMessage(out, message);
      writeString(out, message.position().epoch());
      out.writeLong(message.position().offset());
    });
  }

  static ApplicationMessage decodeMessage(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == FORMAT_WITH_POSITION) {
      return read(bytes, FORMAT_WITH_POSITION, in -> readMessage(in).at(new HistoryPosition(readString(in),
          in.readLong())));
    }
    return read(bytes, StoreCodec::readMessage);
  }

  /** A topic's history record: its epoch, the offsets reserved, the newest trimmed, whether it was a clean stop. */
  static byte[] encodeHistoryMeta(String epoch, long reservedUpTo, long trimmedUpTo, boolean clean) {
    return write(out -> {
      writeString(out, epoch);
      out.writeLong(reservedUpTo);
      out.writeLong(trimmedUpTo);
      out.writeBoolean(clean);
    });
  }

  /** Reads {@link #encodeHistoryMeta} as the record of {@code topic}'s history, without its messages. */
  static StoredHistory decodeHistoryMeta(TopicName topic, byte[] bytes) {
    return read(bytes, in -> new StoredHistory(topic, readString(in), in.readLong(), in.readLong(), in.readBoolean(),
        List.of()));
  }

  /** A topic name as stored: parsed with the widest limits. */
  static TopicName topic(String stored) {
    return TopicName.parse(stored, STORED);
  }

  static byte[] encodeSession(StoredSession session) {
    return write(out -> {
      writeString(out, session.clientId());
      out.writeLong(session.sessionExpiryInterval());
      out.writeLong(session.disconnectedAtMillis());
      out.writeBoolean(session.will() != null);
      if (session.will() != null) {
        writeMessage(out, session.will().message());
        out.writeLong(session.will().delayInterval());
      }
      out.writeInt(session.subscriptions().size());
      for (Subscription subscription : session.subscriptions()) {
        writeString(out, subscription.filter().asString());
        SubscriptionOptions options = subscription.options();
        out.writeByte(options.maxQos());
        out.writeBoolean(options.noLocal());
        out.writeBoolean(options.retainAsPublished());
        out.writeByte(options.retainHandling());
        out.writeInt(options.subscriptionIdentifier());
      }
    });
  }

  static StoredSession decodeSession(byte[] bytes) {
    return read(bytes, in -> {
      String clientId = readString(in);
      long expiry = in.readLong();
      long disconnectedAt = in.readLong();
      Will will = in.readBoolean() ? new Will(readMessage(in), in.readLong()) : null;
      int count = in.readInt();
      List<Subscription> subscriptions = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        TopicFilter filter = TopicFilter.parse(readString(in), STORED);
        SubscriptionOptions options = new SubscriptionOptions(in.readByte(), in.readBoolean(), in.readBoolean(),
            in.readByte(), in.readInt());
        subscriptions.add(new Subscription(clientId, filter, options));
      }
      return new StoredSession(clientId, expiry, disconnectedAt, will, subscriptions);
    });
  }

  static byte[] encodeQueueEntry(QueueEntry entry) {
    return write(out -> {
      out.writeLong(entry.messageId());
      writeString(out, entry.subscription().asString());
      out.writeByte(entry.qos());
      out.writeBoolean(entry.retain());
      out.writeByte(progressByte(entry.progress()));
      out.writeInt(entry.subscriptionIdentifiers().size());
      for (int identifier : entry.subscriptionIdentifiers()) {
        out.writeInt(identifier);
      }
    });
  }

  static QueueEntry decodeQueueEntry(byte[] bytes) {
    return read(bytes, in -> {
      long messageId = in.readLong();
      TopicFilter subscription = TopicFilter.parse(readString(in), STORED);
      int qos = in.readByte();
      boolean retain = in.readBoolean();
      QueuedMessage.Progress progress = progressOf(in.readByte());
      int count = in.readInt();
      List<Integer> identifiers = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        identifiers.add(in.readInt());
      }
      return new QueueEntry(messageId, subscription, qos, retain, identifiers, progress);
    });
  }

  /** The id of the message an encoded queue entry refers to, read without decoding the rest: the writer's hot path. */
  static long queueEntryMessageId(byte[] bytes) {
    checkQueueEntryFormat(bytes, 1 + Long.BYTES);
    return (long) LONGS.get(bytes, 1);
  }

  /**
   * An encoded queue entry with its progress advanced to {@code reached}: a copy with the one byte changed, or
   * {@code bytes} itself if the entry is already there or beyond. Equal to encoding the decoded entry's
   * {@link QueueEntry#reached}, without decoding it.
   */
  static byte[] queueEntryReached(byte[] bytes, QueuedMessage.Progress reached) {
    checkQueueEntryFormat(bytes, 1 + Long.BYTES + Integer.BYTES);
    int filterLength = (int) INTS.get(bytes, 1 + Long.BYTES);
    int at = 1 + Long.BYTES + Integer.BYTES + filterLength + 2; // after the filter, the QoS and the retain flag
    if (filterLength < 0 || at >= bytes.length) {
      throw new StoreException("stored value is truncated");
    }
    QueuedMessage.Progress current;
    try {
      current = progressOf(bytes[at]);
    } catch (IOException e) {
      throw new StoreException("stored value is corrupt: " + e.getMessage(), e);
    }
    if (reached.compareTo(current) <= 0) {
      return bytes;
    }
    byte[] next = bytes.clone();
    next[at] = (byte) progressByte(reached);
    return next;
  }

  private static void checkQueueEntryFormat(byte[] bytes, int atLeast) {
    if (bytes.length < atLeast) {
      throw new StoreException("stored value is truncated");
    }
    if (bytes[0] != FORMAT) {
      throw new StoreException("stored value has unknown format " + (bytes[0] & 0xFF) + " (queue entries are "
          + FORMAT + "); was the data directory written by a newer version?");
    }
  }

  /**
   * The progress byte of a queue entry. Layout 1 wrote a boolean "released" there (0 or 1), so 0 and 1 keep those
   * meanings and SENT is 2; {@link MVStoreBrokerStore} upgrades layout 1 files, where 0 meant "maybe sent".
   */
  private static int progressByte(QueuedMessage.Progress progress) {
    return switch (progress) {
      case WAITING -> 0;
      case RELEASED -> 1;
      case SENT -> 2;
    };
  }

  private static QueuedMessage.Progress progressOf(int value) throws IOException {
    return switch (value) {
      case 0 -> QueuedMessage.Progress.WAITING;
      case 1 -> QueuedMessage.Progress.RELEASED;
      case 2 -> QueuedMessage.Progress.SENT;
      default -> throw new IOException("unknown delivery progress " + value);
    };
  }

  private static void writeMessage(DataOutputStream out, ApplicationMessage message) throws IOException {
    out.writeLong(message.id());
    writeString(out, message.publisherId());
    writeString(out, message.topic().asString());
    writeBytes(out, message.payload());
    out.writeByte(message.qos());
    out.writeBoolean(message.retain());
    out.writeLong(message.createdAtMillis());
    out.writeLong(message.messageExpiryInterval());
    out.writeByte(message.payloadFormatIndicator());
    writeNullableString(out, message.contentType());
    writeNullableString(out, message.responseTopic());
    out.writeBoolean(message.correlationData() != null);
    if (message.correlationData() != null) {
      writeBytes(out, message.correlationData());
    }
    out.writeInt(message.userProperties().size());
    for (MessageProperty property : message.userProperties()) {
      writeString(out, property.name());
      writeString(out, property.value());
    }
  }

  private static ApplicationMessage readMessage(DataInputStream in) throws IOException {
    long id = in.readLong();
    String publisherId = readString(in);
    TopicName topic = TopicName.parse(readString(in), STORED);
    byte[] payload = readBytes(in);
    int qos = in.readByte();
    boolean retain = in.readBoolean();
    long createdAt = in.readLong();
    long expiry = in.readLong();
    int payloadFormat = in.readByte();
    String contentType = readNullableString(in);
    String responseTopic = readNullableString(in);
    byte[] correlationData = in.readBoolean() ? readBytes(in) : null;
    int count = in.readInt();
    List<MessageProperty> properties = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      properties.add(new MessageProperty(readString(in), readString(in)));
    }
    return new ApplicationMessage(id, publisherId, topic, payload, qos, retain, createdAt, expiry, payloadFormat,
        contentType, responseTopic, correlationData, properties, null);
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static void writeNullableString(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      writeString(out, value);
    }
  }

  private static String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? readString(in) : null;
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("length " + length + " exceeds the " + in.available() + " bytes left");
    }
    return in.readNBytes(length);
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer writer) {
    return write(FORMAT, writer);
  }

  private static byte[] write(int format, Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(format);
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream never throws
    }
    return bytes.toByteArray();
  }

  /** Reads a value; a value that is not in a known layout, or is cut short, is a corrupt store. */
  private static <T> T read(byte[] bytes, Reader<T> reader) {
    return read(bytes, FORMAT, reader);
  }

  private static <T> T read(byte[] bytes, int expectedFormat, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != expectedFormat) {
        throw new StoreException("stored value has unknown format " + format + " (this broker reads " + FORMAT
            + " and " + FORMAT_WITH_POSITION + "); was the data directory written by a newer version?");
      }
      T value = reader.read(in);
      if (in.available() != 0) {
        throw new StoreException("stored value has " + in.available() + " unexpected trailing bytes");
      }
      return value;
    } catch (EOFException e) {
      throw new StoreException("stored value is truncated", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new StoreException("stored value is corrupt: " + e.getMessage(), e);
    }
  }
}
