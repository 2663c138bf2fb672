package io.braid.pubsub.history;

import java.util.Objects;

/**
 * Where a new subscription starts reading the history of the topics it matches, as JetStream's start policies:
 * now (live messages only, MQTT's behaviour), after a position, the last N messages, or since a time. Immutable.
 */
public sealed interface StartFrom {

  /** Live messages only. */
  StartFrom NOW = new Now();

  /** Live messages only: no history. */
  record Now() implements StartFrom {
  }

  /**
   * The messages after {@code offset} of {@code epoch} (0: from the start of that epoch's history), for a
   * subscription to one topic: what a client that saw {@code offset} last asks for when it comes back.
   */
  record After(String epoch, long offset) implements StartFrom {
    public After {
      Objects.requireNonNull(epoch, "epoch");
      if (offset < 0) {
        throw new IllegalArgumentException("an offset is 0 or more, was " + offset);
      }
    }
  }

  /** The last {@code count} messages of the matching topics, then live ones. */
  record Last(int count) implements StartFrom {
    public Last {
      if (count < 1) {
        throw new IllegalArgumentException("the last 1 or more messages, was " + count);
      }
    }
  }

  /** The messages the broker received at or after {@code epochMillis} (Unix time in milliseconds), then live ones. */
  record Since(long epochMillis) implements StartFrom {
    public Since {
      if (epochMillis < 0) {
        throw new IllegalArgumentException("a time is 0 or more milliseconds since 1970, was " + epochMillis);
      }
    }
  }
}
