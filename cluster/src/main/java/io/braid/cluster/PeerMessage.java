package io.braid.cluster;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.MessageBytes;
import io.braid.pubsub.store.StoreException;
import io.braid.pubsub.topic.InvalidTopicException;
import io.braid.pubsub.topic.TopicFilter;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A message forwarded to another node: the shared groups that node serves for it, then the message in the store's
 * layout ({@link MessageBytes}); or a retained message for a node that joined, to keep and not deliver.
 *
 * <pre>
 * flags: u8, bit 0: retained only (keep it as its topic's retained message if newer, deliver nothing);
 *     bit 1: on behalf of nodes that left (their subscribers' sessions are being taken over by the receiver) or of
 *     sessions that moved to the receiver ({@link SessionMoves#owner});
 *     bit 2: only on behalf of those: not for the receiver's own subscribers (a copy another node relays)
 * [bit 1: u16 count, then per node: u16 length + UTF-8 of its id]
 * groups: u16, then per group: u16 length + UTF-8 of "$share/{group}/{filter}"
 * message: the rest
 * </pre>
 */
record PeerMessage(ApplicationMessage message, List<TopicFilter> groups, boolean retainedOnly,
    Set<String> onBehalfOf, boolean relayOnly) {

  private static final int RETAINED_ONLY = 1;
  private static final int ON_BEHALF = 2;
  private static final int RELAY_ONLY = 4;

  PeerMessage {
    groups = List.copyOf(groups);
    onBehalfOf = Set.copyOf(onBehalfOf);
  }

  /** {@code message} in the store's layout without its history position: a topic's history is each node's own. */
  static byte[] messageBytes(ApplicationMessage message) {
    return MessageBytes.encode(message.position() == null ? message : message.at(null));
  }

  static Buffer encode(byte[] message, List<TopicFilter> groups) {
    return encode(message, groups, 0, Set.of());
  }

  /**
   * A message for the receiver's sessions and for those it takes over from {@code onBehalfOf} (nodes that left, or
   * sessions that moved there).
   */
  static Buffer encode(byte[] message, List<TopicFilter> groups, Set<String> onBehalfOf) {
    return encode(message, groups, 0, onBehalfOf);
  }

  /** A message relayed to the receiver for {@code onBehalfOf} only, not for its own subscribers. */
  static Buffer encodeRelay(byte[] message, Set<String> onBehalfOf) {
    return encode(message, List.of(), RELAY_ONLY, onBehalfOf);
  }

  /** A retained message for a node that joined the cluster after it was published. */
  static Buffer encodeRetainedOnly(byte[] message) {
    return encode(message, List.of(), RETAINED_ONLY, Set.of());
  }

  private static Buffer encode(byte[] message, List<TopicFilter> groups, int flags, Set<String> onBehalfOf) {
    Buffer buffer = Buffer.buffer(message.length + 3 + groups.size() * 32);
    buffer.appendByte((byte) (flags | (onBehalfOf.isEmpty() ? 0 : ON_BEHALF)));
    if (!onBehalfOf.isEmpty()) {
      appendStrings(buffer, onBehalfOf, node -> node);
    }
    appendStrings(buffer, groups, TopicFilter::asString);
    return buffer.appendBytes(message);
  }

  private static <T> void appendStrings(Buffer buffer, Collection<T> values, Function<T, String> text) {
    buffer.appendUnsignedShort(values.size());
    for (T value : values) {
      byte[] utf8 = text.apply(value).getBytes(StandardCharsets.UTF_8);
      buffer.appendUnsignedShort(utf8.length).appendBytes(utf8);
    }
  }

  /**
   * Decodes what {@link #encode} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not a forwarded message
   */
  static PeerMessage decode(Buffer buffer) {
    try {
      int flags = buffer.getUnsignedByte(0);
      if ((flags & ~(RETAINED_ONLY | ON_BEHALF | RELAY_ONLY)) != 0) {
        throw new IllegalArgumentException("unknown flags " + flags);
      }
      int[] at = {1};
      List<String> onBehalfOf = (flags & ON_BEHALF) != 0 ? readStrings(buffer, at) : List.of();
      List<TopicFilter> groups = readStrings(buffer, at).stream().map(TopicFilter::parse).toList();
      return new PeerMessage(MessageBytes.decode(buffer.getBytes(at[0], buffer.length())), groups,
          (flags & RETAINED_ONLY) != 0, Set.copyOf(onBehalfOf), (flags & RELAY_ONLY) != 0);
    } catch (IndexOutOfBoundsException | StoreException
        | InvalidTopicException e) {
      throw new IllegalArgumentException("not a forwarded message: " + e.getMessage(), e);
    }
  }

  /** Reads a u16 count of u16-length-prefixed strings at {@code at[0]}, and moves it past them. */
  private static List<String> readStrings(Buffer buffer, int[] at) {
    int count = buffer.getUnsignedShort(at[0]);
    at[0] += 2;
    List<String> strings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = buffer.getUnsignedShort(at[0]);
      strings.add(buffer.getString(at[0] + 2, at[0] + 2 + length, "UTF-8"));
      at[0] += 2 + length;
    }
    return strings;
  }
}
