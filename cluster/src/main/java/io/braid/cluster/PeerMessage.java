package io.braid.cluster;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.MessageBytes;
import io.braid.pubsub.store.StoreException;
import io.braid.pubsub.topic.InvalidTopicException;
import io.braid.pubsub.topic.TopicFilter;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message forwarded to another node: the shared groups that node serves for it, then the message in the store's
 * layout ({@link MessageBytes}); or a retained message for a node that joined, to keep and not deliver.
 *
 * <pre>
 * flags: u8, bit 0: retained only (keep it as its topic's retained message if newer, deliver nothing)
 * groups: u16, then per group: u16 length + UTF-8 of "$share/{group}/{filter}"
 * message: the rest
 * </pre>
 */
record PeerMessage(ApplicationMessage message, List<TopicFilter> groups, boolean retainedOnly) {

  private static final int RETAINED_ONLY = 1;

  PeerMessage {
    groups = List.copyOf(groups);
  }

  /** {@code message} in the store's layout without its history position: a topic's history is each node's own. */
  static byte[] messageBytes(ApplicationMessage message) {
    return MessageBytes.encode(message.position() == null ? message : message.at(null));
  }

  static Buffer encode(byte[] message, List<TopicFilter> groups) {
    return encode(message, groups, false);
  }

  /** A retained message for a node that joined the cluster after it was published. */
  static Buffer encodeRetainedOnly(byte[] message) {
    return encode(message, List.of(), true);
  }

  private static Buffer encode(byte[] message, List<TopicFilter> groups, boolean retainedOnly) {
    Buffer buffer = Buffer.buffer(message.length + 3 + groups.size() * 32);
    buffer.appendByte((byte) (retainedOnly ? RETAINED_ONLY : 0));
    buffer.appendUnsignedShort(groups.size());
    for (TopicFilter group : groups) {
      byte[] utf8 = group.asString().getBytes(StandardCharsets.UTF_8);
      buffer.appendUnsignedShort(utf8.length).appendBytes(utf8);
    }
    return buffer.appendBytes(message);
  }

  /**
   * Decodes what {@link #encode} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not a forwarded message
   */
  static PeerMessage decode(Buffer buffer) {
    try {
      int flags = buffer.getUnsignedByte(0);
      if ((flags & ~RETAINED_ONLY) != 0) {
        throw new IllegalArgumentException("unknown flags " + flags);
      }
      int count = buffer.getUnsignedShort(1);
      int at = 3;
      List<TopicFilter> groups = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int length = buffer.getUnsignedShort(at);
        groups.add(TopicFilter.parse(buffer.getString(at + 2, at + 2 + length, "UTF-8")));
        at += 2 + length;
      }
      return new PeerMessage(MessageBytes.decode(buffer.getBytes(at, buffer.length())), groups,
          (flags & RETAINED_ONLY) != 0);
    } catch (IndexOutOfBoundsException | StoreException
        | InvalidTopicException e) {
      throw new IllegalArgumentException("not a forwarded message: " + e.getMessage(), e);
    }
  }
}
