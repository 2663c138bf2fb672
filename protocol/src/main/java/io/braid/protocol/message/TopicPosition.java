package io.braid.protocol.message;

import java.util.Objects;

/**
 * A place in a topic's history: the {@code offset} of a message within the history {@code epoch} it belongs to.
 * Offsets grow by one per message of the topic, from 1; the epoch changes whenever history is lost (a wiped store, a
 * removed history rule), which makes every offset of the old epoch void. Immutable.
 *
 * @param epoch identifies one unbroken history of the topic; 1 to 64 characters
 * @param offset 0 (before the first message, in a start position) or more, at most 2^63-1
 */
public record TopicPosition(String epoch, long offset) {

  public TopicPosition {
    Objects.requireNonNull(epoch, "epoch");
    if (epoch.isEmpty() || epoch.length() > 64) {
      throw Checks.invalid("position.epoch", "must be 1 to 64 characters, was " + epoch.length());
    }
    if (offset < 0) {
      throw Checks.invalid("position.offset", "must be 0 or more, was " + offset);
    }
  }
}
