package io.braid.protocol.message;

import com.fasterxml.jackson.core.JsonGenerator;
import io.braid.protocol.codec.MalformedException;
import java.io.IOException;
import java.util.Set;

/**
 * The JSON form of the history fields: a publish's {@code position}, a subscribe's {@code startAfter},
 * {@code startLast}, {@code startSince}, {@code overflow} and {@code maxQueued}, and a suback's {@code recovery}
 * (docs/PROTOCOL.md 6.4). Stateless.
 */
final class JsonHistoryFields {
  private static final Set<String> POSITION_FIELDS = Set.of("epoch", "offset");
  private static final Set<String> RECOVERY_FIELDS = Set.of("status", "gapFrom", "gapTo", "reason", "latest");

  private JsonHistoryFields() {}

  static TopicPosition readPosition(JsonFields f, String name) {
    JsonFields position = f.object(name, POSITION_FIELDS);
    if (position == null) {
      return null;
    }
    String epoch = position.requiredString("epoch");
    if (epoch.isEmpty() || epoch.length() > 64) {
      throw new MalformedException(position.field("epoch"), "must be 1 to 64 characters, was " + epoch.length());
    }
    if (!position.has("offset")) {
      throw new MalformedException(position.field("offset"), "missing");
    }
    return new TopicPosition(epoch, position.u63("offset", 0));
  }

  /** At most one of {@code startAfter}, {@code startLast}, {@code startSince}; none is now. */
  static SubscribeStart readStart(JsonFields f) {
    int given = (f.has("startAfter") ? 1 : 0) + (f.has("startLast") ? 1 : 0) + (f.has("startSince") ? 1 : 0);
    if (given > 1) {
      throw new MalformedException(f.field("startAfter"), "at most one of startAfter, startLast, startSince");
    }
    if (f.has("startAfter")) {
      return new SubscribeStart.After(readPosition(f, "startAfter"));
    } else if (f.has("startLast")) {
      return new SubscribeStart.Last(f.integer("startLast", 1, Integer.MAX_VALUE, 1));
    } else if (f.has("startSince")) {
      return new SubscribeStart.Since(f.u63("startSince", 0));
    }
    return SubscribeStart.NOW;
  }

  static OverflowPolicy readOverflow(JsonFields f) {
    String name = f.string("overflow");
    if (name == null) {
      return null;
    }
    OverflowPolicy policy = OverflowPolicy.ofJsonName(name);
    if (policy == null) {
      throw new MalformedException(f.field("overflow"),
          "must be \"drop-oldest\", \"drop-newest\", \"conflate\" or \"disconnect\"");
    }
    return policy;
  }

  static RecoveryReport readRecovery(JsonFields f) {
    JsonFields r = f.object("recovery", RECOVERY_FIELDS);
    if (r == null) {
      return null;
    }
    String statusName = r.requiredString("status");
    RecoveryReport.Status status = null;
    for (RecoveryReport.Status candidate : RecoveryReport.Status.values()) {
      if (candidate.jsonName().equals(statusName)) {
        status = candidate;
      }
    }
    if (status == null) {
      throw new MalformedException(r.field("status"), "must be \"complete\", \"gap\" or \"unavailable\"");
    }
    RecoveryReport.GapReason reason = null;
    String reasonName = r.string("reason");
    if (reasonName != null) {
      for (RecoveryReport.GapReason candidate : RecoveryReport.GapReason.values()) {
        if (candidate.jsonName().equals(reasonName)) {
          reason = candidate;
        }
      }
      if (reason == null) {
        throw new MalformedException(r.field("reason"), "must be \"trimmed\", \"epoch-changed\" or \"lost\"");
      }
    }
    if ((status == RecoveryReport.Status.GAP) != (reason != null)) {
      throw new MalformedException(r.field("reason"), "present exactly when the status is \"gap\"");
    }
    long gapFrom = r.u63("gapFrom", 0);
    long gapTo = r.u63("gapTo", 0);
    if (gapTo < gapFrom) {
      throw new MalformedException(r.field("gapTo"), "must be at least gapFrom " + gapFrom + ", was " + gapTo);
    }
    return new RecoveryReport(status, gapFrom, gapTo, reason, readPosition(r, "latest"));
  }

  static void writePosition(String name, TopicPosition position, JsonGenerator g) throws IOException {
    if (position != null) {
      g.writeObjectFieldStart(name);
      g.writeStringField("epoch", position.epoch());
      g.writeNumberField("offset", position.offset());
      g.writeEndObject();
    }
  }

  static void writeStartAndOverflow(Subscribe m, JsonGenerator g) throws IOException {
    SubscribeStart start = m.start();
    if (start instanceof SubscribeStart.After after) {
      writePosition("startAfter", after.position(), g);
    } else if (start instanceof SubscribeStart.Last last) {
      g.writeNumberField("startLast", last.count());
    } else if (start instanceof SubscribeStart.Since since) {
      g.writeNumberField("startSince", since.epochMillis());
    }
    if (m.overflow() != null) {
      g.writeStringField("overflow", m.overflow().jsonName());
    }
    if (m.maxQueued() != BraidMessage.ABSENT) {
      g.writeNumberField("maxQueued", m.maxQueued());
    }
  }

  static void writeRecovery(RecoveryReport recovery, JsonGenerator g) throws IOException {
    if (recovery == null) {
      return;
    }
    g.writeObjectFieldStart("recovery");
    g.writeStringField("status", recovery.status().jsonName());
    if (recovery.status() == RecoveryReport.Status.GAP) {
      g.writeNumberField("gapFrom", recovery.gapFrom());
      g.writeNumberField("gapTo", recovery.gapTo());
      g.writeStringField("reason", recovery.reason().jsonName());
    }
    writePosition("latest", recovery.latest(), g);
    g.writeEndObject();
  }
}
