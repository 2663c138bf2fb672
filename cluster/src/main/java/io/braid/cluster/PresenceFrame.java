package io.braid.cluster;

import static io.braid.cluster.FrameReader.appendBytes;
import static io.braid.cluster.FrameReader.appendString;

import io.braid.pubsub.presence.LeaveReason;
import io.braid.pubsub.presence.Membership;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A change to the members a node has (presence), sent to every other node. It shares the links with forwarded
 * messages ({@link PeerMessage}) and is told apart by its first byte, which a forwarded message never has.
 *
 * <pre>
 * u8 0x82, u8 kind, node: string (the sending node), then by kind
 *   JOINED 1: membership | LEFT 2: topic, client, u8 reason ordinal | MEMBERS 3: u32 count, then memberships
 * membership: topic, client, info (optional), unique name (optional)
 * string: u16 length + UTF-8; optional: u8 0 (none) or 1 then u32 length + UTF-8
 * </pre>
 */
final class PresenceFrame {

  static final int MARKER = 0x82;
  private static final int JOINED = 1;
  private static final int LEFT = 2;
  private static final int MEMBERS = 3;

  private PresenceFrame() {
  }

  /** What a frame says. */
  sealed interface Change {
    /** The node that sent it. */
    String node();
  }

  /** {@code membership}'s client, connected to {@code node}, joined. */
  record Joined(String node, Membership membership) implements Change {
  }

  /** {@code clientId}, connected to {@code node}, left {@code topic}. */
  record Left(String node, String topic, String clientId, LeaveReason reason) implements Change {
  }

  /** Every member {@code node} has now. */
  record Members(String node, List<Membership> memberships) implements Change {
    Members {
      memberships = List.copyOf(memberships);
    }
  }

  static boolean isPresence(Buffer buffer) {
    return buffer.length() > 0 && buffer.getUnsignedByte(0) == MARKER;
  }

  static Buffer encode(Change change) {
    Buffer buffer = Buffer.buffer(128).appendByte((byte) MARKER);
    if (change instanceof Joined joined) {
      appendMembership(appendString(buffer.appendByte((byte) JOINED), joined.node()), joined.membership());
    } else if (change instanceof Left left) {
      appendString(buffer.appendByte((byte) LEFT), left.node());
      appendString(appendString(buffer, left.topic()), left.clientId()).appendByte((byte) left.reason().ordinal());
    } else if (change instanceof Members members) {
      appendString(buffer.appendByte((byte) MEMBERS), members.node()).appendInt(members.memberships().size());
      members.memberships().forEach(membership -> appendMembership(buffer, membership));
    }
    return buffer;
  }

  /**
   * Decodes what {@link #encode} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not a presence frame
   */
  static Change decode(Buffer buffer) {
    try {
      if (buffer.getUnsignedByte(0) != MARKER) {
        throw new IllegalArgumentException("not a presence frame");
      }
      FrameReader in = new FrameReader(buffer, 1);
      int kind = in.u8();
      String node = in.string();
      Change change = switch (kind) {
        case JOINED -> new Joined(node, membership(in));
        case LEFT -> new Left(node, in.string(), in.string(), reason(in));
        case MEMBERS -> {
          int count = in.u32();
          List<Membership> memberships = new ArrayList<>(Math.min(count, 4096));
          for (int i = 0; i < count; i++) {
            memberships.add(membership(in));
          }
          yield new Members(node, memberships);
        }
        default -> throw new IllegalArgumentException("unknown presence change " + kind);
      };
      in.end();
      return change;
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a presence frame: " + e.getMessage(), e);
    }
  }

  private static Buffer appendMembership(Buffer buffer, Membership membership) {
    appendString(appendString(buffer, membership.topic()), membership.clientId());
    return appendOptional(appendOptional(buffer, membership.info()), membership.uniqueName());
  }

  private static Buffer appendOptional(Buffer buffer, String value) {
    return value == null ? buffer.appendByte((byte) 0)
        : appendBytes(buffer.appendByte((byte) 1), value.getBytes(StandardCharsets.UTF_8));
  }

  private static String optional(FrameReader in) {
    return switch (in.u8()) {
      case 0 -> null;
      case 1 -> in.text(in.u32());
      default -> throw new IllegalArgumentException("bad optional string flag");
    };
  }

  private static Membership membership(FrameReader in) {
    return new Membership(in.string(), in.string(), optional(in), optional(in));
  }

  private static LeaveReason reason(FrameReader in) {
    int ordinal = in.u8();
    LeaveReason[] values = LeaveReason.values();
    if (ordinal >= values.length) {
      throw new IllegalArgumentException("unknown leave reason " + ordinal);
    }
    return values[ordinal];
  }
}
