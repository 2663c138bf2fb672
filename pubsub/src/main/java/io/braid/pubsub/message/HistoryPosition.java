package io.braid.pubsub.message;

import java.util.Objects;

/**
 * Where a message stands in its topic's history: the history's epoch, which changes whenever the history is lost and
 * begun again, and the message's offset in it, which increases by one from message to message within an epoch
 * (after an unclean stop it jumps: offsets that might have been handed out are never handed out again).
 *
 * <p>Immutable.
 *
 * @param epoch names one continuous history of the topic
 * @param offset 1 and up
 */
public record HistoryPosition(String epoch, long offset) {

  public HistoryPosition {
    Objects.requireNonNull(epoch, "epoch");
    if (offset < 1) {
      throw new IllegalArgumentException("a history offset is 1 or more, was " + offset);
    }
  }
}
