package io.braid.protocol.message;

import java.util.Objects;

/**
 * Where a {@link Subscribe} starts reading the history of the topics it matches: {@link #NOW} (live messages only,
 * MQTT's behaviour), {@link After} a position, the {@link Last} N messages, or {@link Since} a time. Immutable.
 */
public sealed interface SubscribeStart {

  /** Live messages only: the default. */
  SubscribeStart NOW = new Now();

  /** The wire code of the start kind (SUBSCRIBE flag bits 8-9). */
  int code();

  /** Live messages only. */
  record Now() implements SubscribeStart {
    @Override
    public int code() {
      return 0;
    }
  }

  /** The messages after {@code position} (a topic name's history), then live ones. */
  record After(TopicPosition position) implements SubscribeStart {
    public After {
      Objects.requireNonNull(position, "position");
    }

    @Override
    public int code() {
      return 1;
    }
  }

  /** The last {@code count} messages (1..2^31-1) of the matching topics, then live ones. */
  record Last(int count) implements SubscribeStart {
    public Last {
      if (count < 1) {
        throw Checks.invalid("SUBSCRIBE.startLast", "must be 1 or more, was " + count);
      }
    }

    @Override
    public int code() {
      return 2;
    }
  }

  /** The messages the server received at or after {@code epochMillis} (Unix milliseconds), then live ones. */
  record Since(long epochMillis) implements SubscribeStart {
    public Since {
      if (epochMillis < 0) {
        throw Checks.invalid("SUBSCRIBE.startSince", "must be 0 or more, was " + epochMillis);
      }
    }

    @Override
    public int code() {
      return 3;
    }
  }
}
