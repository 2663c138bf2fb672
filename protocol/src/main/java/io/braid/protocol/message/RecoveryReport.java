package io.braid.protocol.message;

import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link SubAck} tells a subscription that started in history ({@link Subscribe#start()} other than now):
 * whether every message asked for follows, or which offsets are lost and why, or that no history is kept. Immutable.
 *
 * @param status complete, gap or unavailable
 * @param gapFrom the first lost offset (0 when not known: a start by time or count, several topics); 0 unless a gap
 * @param gapTo the last lost offset; 0 unless a gap
 * @param reason why they are lost; null unless a gap
 * @param latest the topic's newest position when the subscription started, or null (no message yet, several topics,
 *     no history)
 */
public record RecoveryReport(Status status, long gapFrom, long gapTo, GapReason reason, TopicPosition latest) {

  /** Whether recovery was complete; codes are the wire's. */
  public enum Status {
    COMPLETE, GAP, UNAVAILABLE;

    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why the messages of a gap are lost; wire codes from 1. */
  public enum GapReason {
    /** Older than the history keeps. */
    TRIMMED,
    /** The history the position belonged to is gone; a new epoch began. */
    EPOCH_CHANGED,
    /** The server stopped uncleanly: these offsets may have been handed out and not stored. */
    LOST;

    public int code() {
      return ordinal() + 1;
    }

    public String jsonName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public RecoveryReport {
    Objects.requireNonNull(status, "status");
    if ((status == Status.GAP) != (reason != null)) {
      throw Checks.invalid("SUBACK.recovery.reason", "present exactly when the status is gap");
    }
    if (gapFrom < 0 || gapTo < gapFrom) {
      throw Checks.invalid("SUBACK.recovery.gapTo", "a gap is 0 <= gapFrom <= gapTo, was " + gapFrom + ".." + gapTo);
    }
  }

  public static RecoveryReport complete(TopicPosition latest) {
    return new RecoveryReport(Status.COMPLETE, 0, 0, null, latest);
  }
}
