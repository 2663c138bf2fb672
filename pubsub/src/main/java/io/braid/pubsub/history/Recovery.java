package io.braid.pubsub.history;

import io.braid.pubsub.message.HistoryPosition;
import java.util.Objects;

/**
 * What a subscription that started in history is told, with its SUBACK: whether every message it asked for follows
 * ({@link Status#COMPLETE}), or which offsets are lost and why ({@link Status#GAP}), or that the topic keeps no
 * history ({@link Status#UNAVAILABLE}).
 *
 * <p>Immutable.
 *
 * @param status complete, gap or unavailable
 * @param gapFrom the first offset asked for that will not come; 0 when unknown (a start by time, several topics).
 *     For {@link GapReason#EPOCH_CHANGED} the offsets are the new epoch's: those it no longer keeps (0 if none), since
 *     every offset of the old epoch is void
 * @param gapTo the last such offset
 * @param reason why they will not come, or null unless {@link Status#GAP}
 * @param latest the newest position of the topic when the subscription started, or null (no message yet, several
 *     topics, no history)
 */
public record Recovery(Status status, long gapFrom, long gapTo, GapReason reason, HistoryPosition latest) {

  /** Whether recovery was complete. */
  public enum Status {
    /** Every message asked for follows, then live ones, with no duplicate at the seam. */
    COMPLETE,
    /** Some asked for are lost: the rest follows. */
    GAP,
    /** The subscription matches no topic that keeps a history: live messages only. */
    UNAVAILABLE
  }

  /** Why messages of a gap are lost. */
  public enum GapReason {
    /** Older than what the history keeps (its message count or age limit). */
    TRIMMED,
    /** The history the position belongs to is gone (store wiped, history rule removed): a new one began. */
    EPOCH_CHANGED,
    /** The broker stopped uncleanly and these offsets may have been handed out without being stored. */
    LOST
  }

  public Recovery {
    Objects.requireNonNull(status, "status");
    if ((status == Status.GAP) != (reason != null)) {
      throw new IllegalArgumentException("a gap, and only a gap, has a reason");
    }
  }

  public static Recovery complete(HistoryPosition latest) {
    return new Recovery(Status.COMPLETE, 0, 0, null, latest);
  }

  public static Recovery gap(long from, long to, GapReason reason, HistoryPosition latest) {
    return new Recovery(Status.GAP, from, to, reason, latest);
  }

  public static Recovery unavailable() {
    return new Recovery(Status.UNAVAILABLE, 0, 0, null, null);
  }
}
