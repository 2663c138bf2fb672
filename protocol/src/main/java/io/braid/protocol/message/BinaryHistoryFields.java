package io.braid.protocol.message;

import static io.braid.protocol.codec.ByteWriter.varintSize;
import static io.braid.protocol.codec.ByteWriter.varlongSize;
import static io.braid.protocol.codec.ByteWriter.writeU8;
import static io.braid.protocol.codec.ByteWriter.writeVarint;
import static io.braid.protocol.codec.ByteWriter.writeVarlong;
import static io.braid.protocol.message.BinaryLayout.RECOVERY_KNOWN;
import static io.braid.protocol.message.BinaryLayout.RECOVERY_LATEST;
import static io.braid.protocol.message.BinaryLayout.RECOVERY_STATUS;
import static io.braid.protocol.message.BinaryPrimitives.stringSize;
import static io.braid.protocol.message.BinaryPrimitives.writeString;

import io.braid.protocol.codec.ByteReader;
import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;

/**
 * The binary form of the history fields: a PUBLISH's position, a SUBSCRIBE's start and a SUBACK's recovery report
 * (docs/PROTOCOL.md 6.3). Stateless.
 */
final class BinaryHistoryFields {
  private BinaryHistoryFields() {}

  static int positionSize(TopicPosition position) {
    return stringSize(position.epoch(), "position.epoch") + varlongSize(position.offset());
  }

  static void writePosition(Buffer out, TopicPosition position) {
    writeString(out, position.epoch(), "position.epoch");
    writeVarlong(out, position.offset());
  }

  static TopicPosition readPosition(ByteReader r, String field) {
    String epoch = r.readString(field + ".epoch");
    if (epoch.isEmpty() || epoch.length() > 64) {
      throw new MalformedException(field + ".epoch", "must be 1 to 64 characters, was " + epoch.length());
    }
    return new TopicPosition(epoch, r.readVarlong(field + ".offset"));
  }

  /** The size of the start's fields (its kind is in the flags). */
  static int startSize(SubscribeStart start) {
    if (start instanceof SubscribeStart.After after) {
      return positionSize(after.position());
    } else if (start instanceof SubscribeStart.Last last) {
      return varintSize(last.count());
    } else if (start instanceof SubscribeStart.Since since) {
      return varlongSize(since.epochMillis());
    }
    return 0;
  }

  static void writeStart(Buffer out, SubscribeStart start) {
    if (start instanceof SubscribeStart.After after) {
      writePosition(out, after.position());
    } else if (start instanceof SubscribeStart.Last last) {
      writeVarint(out, last.count());
    } else if (start instanceof SubscribeStart.Since since) {
      writeVarlong(out, since.epochMillis());
    }
  }

  /** Reads the fields of the start of kind {@code code} (SUBSCRIBE flag bits 8-9). */
  static SubscribeStart readStart(ByteReader r, int code) {
    switch (code) {
      case 0: return SubscribeStart.NOW;
      case 1: return new SubscribeStart.After(readPosition(r, "SUBSCRIBE.startAfter"));
      case 2: return new SubscribeStart.Last(r.readVarint("SUBSCRIBE.startLast", 1, Integer.MAX_VALUE));
      default: return new SubscribeStart.Since(r.readVarlong("SUBSCRIBE.startSince"));
    }
  }

  static int recoverySize(RecoveryReport recovery) {
    int size = 1;
    if (recovery.status() == RecoveryReport.Status.GAP) {
      size += varlongSize(recovery.gapFrom()) + varlongSize(recovery.gapTo()) + 1;
    }
    if (recovery.latest() != null) {
      size += positionSize(recovery.latest());
    }
    return size;
  }

  static void writeRecovery(Buffer out, RecoveryReport recovery) {
    int flags = recovery.status().ordinal() | (recovery.latest() != null ? RECOVERY_LATEST : 0);
    writeU8(out, flags);
    if (recovery.status() == RecoveryReport.Status.GAP) {
      writeVarlong(out, recovery.gapFrom());
      writeVarlong(out, recovery.gapTo());
      writeU8(out, recovery.reason().code());
    }
    if (recovery.latest() != null) {
      writePosition(out, recovery.latest());
    }
  }

  static RecoveryReport readRecovery(ByteReader r) {
    int flags = r.readU8("SUBACK.recovery.flags");
    if ((flags & ~RECOVERY_KNOWN) != 0) {
      throw new MalformedException("SUBACK.recovery.flags", "undefined bits set: 0x"
          + Integer.toHexString(flags & ~RECOVERY_KNOWN));
    }
    int statusCode = flags & RECOVERY_STATUS;
    if (statusCode == 3) {
      throw new MalformedException("SUBACK.recovery.status", "must be 0, 1 or 2, was 3");
    }
    RecoveryReport.Status status = RecoveryReport.Status.values()[statusCode];
    long gapFrom = 0;
    long gapTo = 0;
    RecoveryReport.GapReason reason = null;
    if (status == RecoveryReport.Status.GAP) {
      gapFrom = r.readVarlong("SUBACK.recovery.gapFrom");
      gapTo = r.readVarlong("SUBACK.recovery.gapTo");
      if (gapTo < gapFrom) {
        throw new MalformedException("SUBACK.recovery.gapTo", "must be at least gapFrom " + gapFrom + ", was " + gapTo);
      }
      int reasonCode = r.readU8("SUBACK.recovery.reason");
      if (reasonCode < 1 || reasonCode > RecoveryReport.GapReason.values().length) {
        throw new MalformedException("SUBACK.recovery.reason", "must be 1, 2 or 3, was " + reasonCode);
      }
      reason = RecoveryReport.GapReason.values()[reasonCode - 1];
    }
    TopicPosition latest = (flags & RECOVERY_LATEST) != 0 ? readPosition(r, "SUBACK.recovery.latest") : null;
    return new RecoveryReport(status, gapFrom, gapTo, reason, latest);
  }
}
