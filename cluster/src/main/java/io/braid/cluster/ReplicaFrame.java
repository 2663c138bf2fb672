package io.braid.cluster;

import static io.braid.cluster.FrameReader.appendBytes;
import static io.braid.cluster.FrameReader.appendString;

import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionBytes;
import io.braid.pubsub.store.SessionState;
import io.braid.pubsub.store.StoreException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Session changes sent to the node that keeps a replica, and a whole session handed from one node to another.
 * A replica frame shares the links with forwarded messages ({@link PeerMessage}) and is told apart by its first
 * byte, which a forwarded message never has.
 *
 * <pre>
 * replica frame: u8 0x80, owner: u16 length + UTF-8 (the sending node), u32 count, then per change:
 *   u8 kind, then by kind
 *   RESET 0 | SAVE 1: bytes (session record) | DELETE 2: client | ENQUEUE 3: client, bytes (queued message)
 *   DEQUEUE 4: client, u64 sequence | PROGRESS 5: client, u64 sequence, u8 progress ordinal
 *   ADD_INBOUND 6 | REMOVE_INBOUND 7: client, u16 packet id | RELEASE 8
 * client: u16 length + UTF-8; bytes: u32 length + the store's layout ({@link SessionBytes})
 * session: bytes (record), u32 count + bytes per queued message, u16 count + u16 per inbound packet id
 * </pre>
 */
final class ReplicaFrame {

  static final int MARKER = 0x80;

  private ReplicaFrame() {
  }

  /** Whether {@code buffer} is a replica frame rather than a forwarded message. */
  static boolean isReplica(Buffer buffer) {
    return buffer.length() > 0 && buffer.getUnsignedByte(0) == MARKER;
  }

  record Decoded(String owner, List<ReplicaOp> ops) {
  }

  static Buffer encode(String owner, List<ReplicaOp> ops) {
    Buffer buffer = Buffer.buffer(64 + ops.size() * 48).appendByte((byte) MARKER);
    appendString(buffer, owner);
    buffer.appendInt(ops.size());
    for (ReplicaOp op : ops) {
      appendOp(buffer, op);
    }
    return buffer;
  }

  private static void appendOp(Buffer buffer, ReplicaOp op) {
    if (op instanceof ReplicaOp.Reset) {
      buffer.appendByte((byte) 0);
    } else if (op instanceof ReplicaOp.SaveSession save) {
      appendBytes(buffer.appendByte((byte) 1), SessionBytes.encode(save.session()));
    } else if (op instanceof ReplicaOp.DeleteSession delete) {
      appendString(buffer.appendByte((byte) 2), delete.clientId());
    } else if (op instanceof ReplicaOp.Enqueue enqueue) {
      appendBytes(appendString(buffer.appendByte((byte) 3), enqueue.clientId()),
          SessionBytes.encode(enqueue.message()));
    } else if (op instanceof ReplicaOp.Dequeue dequeue) {
      appendString(buffer.appendByte((byte) 4), dequeue.clientId()).appendLong(dequeue.sequence());
    } else if (op instanceof ReplicaOp.Progress progress) {
      appendString(buffer.appendByte((byte) 5), progress.clientId()).appendLong(progress.sequence())
          .appendByte((byte) progress.progress().ordinal());
    } else if (op instanceof ReplicaOp.AddInbound add) {
      appendString(buffer.appendByte((byte) 6), add.clientId()).appendUnsignedShort(add.packetId());
    } else if (op instanceof ReplicaOp.RemoveInbound remove) {
      appendString(buffer.appendByte((byte) 7), remove.clientId()).appendUnsignedShort(remove.packetId());
    } else if (op instanceof ReplicaOp.Release) {
      buffer.appendByte((byte) 8);
    }
  }

  /**
   * Decodes what {@link #encode} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not a replica frame
   */
  static Decoded decode(Buffer buffer) {
    try {
      FrameReader in = new FrameReader(buffer, 1);
      if (buffer.getUnsignedByte(0) != MARKER) {
        throw new IllegalArgumentException("not a replica frame");
      }
      String owner = in.string();
      int count = in.u32();
      List<ReplicaOp> ops = new ArrayList<>(Math.min(count, 4096));
      for (int i = 0; i < count; i++) {
        ops.add(op(in));
      }
      in.end();
      return new Decoded(owner, ops);
    } catch (IndexOutOfBoundsException | StoreException e) {
      throw new IllegalArgumentException("not a replica frame: " + e.getMessage(), e);
    }
  }

  /** A whole session, as a node hands it to another. */
  static Buffer encode(SessionState state) {
    Buffer buffer = appendBytes(Buffer.buffer(256), SessionBytes.encode(state.session()));
    buffer.appendInt(state.queue().size());
    state.queue().forEach(queued -> appendBytes(buffer, SessionBytes.encode(queued)));
    buffer.appendUnsignedShort(state.inboundPacketIds().size());
    state.inboundPacketIds().forEach(buffer::appendUnsignedShort);
    return buffer;
  }

  /**
   * Decodes what {@link #encode(SessionState)} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not a session
   */
  static SessionState decodeSession(Buffer buffer) {
    try {
      FrameReader in = new FrameReader(buffer, 0);
      var session = SessionBytes.decodeSession(in.bytes());
      int count = in.u32();
      List<QueuedMessage> queue = new ArrayList<>(Math.min(count, 4096));
      for (int i = 0; i < count; i++) {
        queue.add(SessionBytes.decodeQueued(in.bytes()));
      }
      int ids = in.u16();
      Set<Integer> inbound = new HashSet<>();
      for (int i = 0; i < ids; i++) {
        inbound.add(in.u16());
      }
      in.end();
      return new SessionState(session, queue, inbound);
    } catch (IndexOutOfBoundsException | StoreException e) {
      throw new IllegalArgumentException("not a session: " + e.getMessage(), e);
    }
  }

  private static ReplicaOp op(FrameReader in) {
    int kind = in.u8();
    return switch (kind) {
      case 0 -> new ReplicaOp.Reset();
      case 1 -> new ReplicaOp.SaveSession(SessionBytes.decodeSession(in.bytes()));
      case 2 -> new ReplicaOp.DeleteSession(in.string());
      case 3 -> new ReplicaOp.Enqueue(in.string(), SessionBytes.decodeQueued(in.bytes()));
      case 4 -> new ReplicaOp.Dequeue(in.string(), in.u64());
      case 5 -> new ReplicaOp.Progress(in.string(), in.u64(), progress(in.u8()));
      case 6 -> new ReplicaOp.AddInbound(in.string(), in.u16());
      case 7 -> new ReplicaOp.RemoveInbound(in.string(), in.u16());
      case 8 -> new ReplicaOp.Release();
      default -> throw new IllegalArgumentException("unknown change kind " + kind);
    };
  }

  private static QueuedMessage.Progress progress(int ordinal) {
    QueuedMessage.Progress[] values = QueuedMessage.Progress.values();
    if (ordinal >= values.length) {
      throw new IllegalArgumentException("unknown progress " + ordinal);
    }
    return values[ordinal];
  }
}
