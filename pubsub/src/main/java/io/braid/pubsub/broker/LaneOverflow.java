package io.braid.pubsub.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * A subscription's overflow policy at work on its lane, once a new entry joined it: a conflating lane first drops the
 * waiting message of the new one's topic; then, while the lane is over its limit or the session over its own, the
 * lane drops its oldest (drop-oldest, conflate) or its newest entry (drop-newest, disconnect). Each drop is counted
 * and reported with the lane's message right after the gap ({@link DropNotices}).
 *
 * <p>Stateless; called on the session's executor.
 */
final class LaneOverflow {
  private LaneOverflow() {}

  /**
   * Applies {@code policy} to {@code lane} after {@code added} joined it. {@code sessionExcess} is how many entries
   * the session holds over its limit. Returns the dropped entries, for the caller to forget and uncount.
   */
  static List<OutboundEntry> enforce(OutboundLane lane, OutboundEntry added, QueueOverflowPolicy policy, int laneMax,
      int sessionExcess, BrokerStats stats, DropNotices drops) {
    List<OutboundEntry> dropped = new ArrayList<>(1);
    if (policy == QueueOverflowPolicy.CONFLATE) {
      OutboundEntry older = lane.removeOlderOfTopic(added);
      if (older != null) {
        added.droppedBefore += older.droppedBefore + 1;
        stats.onDropped(DropReason.CONFLATED);
        dropped.add(older);
        sessionExcess--;
      }
    }
    boolean oldest = QueueLimits.dropsQueued(policy);
    while (lane.queuedCount() > laneMax || sessionExcess > 0) {
      OutboundEntry victim = oldest ? lane.pollOldestQueued() : lane.pollNewestQueued();
      if (victim == null) {
        break;
      }
      sessionExcess--;
      stats.onOverflow(policy);
      dropped.add(victim);
      if (oldest) {
        drops.carry(lane, victim.droppedBefore + 1); // the gap lies right before the new head of the lane
      } else {
        drops.carryToNext(lane.subscription, victim.droppedBefore + 1); // the gap lies after every queued one
      }
    }
    return dropped;
  }
}
