package io.braid.pubsub.history;

import io.braid.pubsub.topic.TopicFilter;
import java.util.Objects;

/**
 * Which topics keep a history, and how much: every topic matching {@code filter} keeps its last
 * {@code maxMessages} messages, none older than {@code maxAgeSeconds} (0: no age limit). The first rule that matches
 * a topic applies.
 *
 * <p>Immutable.
 */
public record HistoryRule(TopicFilter filter, int maxMessages, long maxAgeSeconds) {

  public HistoryRule {
    Objects.requireNonNull(filter, "filter");
    if (filter.isShared()) {
      throw new IllegalArgumentException("a history rule names topics, not a shared subscription: " + filter);
    }
    if (maxMessages < 1) {
      throw new IllegalArgumentException("a history keeps at least 1 message, was " + maxMessages);
    }
    if (maxAgeSeconds < 0) {
      throw new IllegalArgumentException("a history's age limit is 0 (none) or more seconds, was " + maxAgeSeconds);
    }
  }
}
