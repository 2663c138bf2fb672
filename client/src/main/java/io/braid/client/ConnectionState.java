package io.braid.client;

import java.net.URI;

/** Where a {@link BraidClient}'s connection stands, as its state handler hears it. Immutable. */
public sealed interface ConnectionState {

  /** Opening a connection to {@code uri} (attempt 1 is the first of a run of attempts). */
  record Connecting(URI uri, int attempt) implements ConnectionState {
  }

  /** Connected to {@code uri}; {@code sessionPresent}: the broker resumed the session. */
  record Connected(URI uri, boolean sessionPresent) implements ConnectionState {
  }

  /** The connection was lost ({@code cause}); the next attempt comes after {@code delayMillis}. */
  record Reconnecting(int attempt, long delayMillis, Throwable cause) implements ConnectionState {
  }

  /** Closed for good: by the application ({@code cause} null), or because reconnecting gave up. */
  record Closed(Throwable cause) implements ConnectionState {
  }
}
