package io.braid.protocol.message;

import java.util.Locale;

/**
 * What the server does with a subscription's messages when its subscriber falls behind (its credit is spent and its
 * queue is full), as asked for in {@link Subscribe#overflow()}. Absent, the server's default applies.
 */
public enum OverflowPolicy {
  /** Drop the oldest queued message to make room: the subscriber gets the most recent ones. */
  DROP_OLDEST(1),
  /** Refuse the new message: what is queued is delivered in order. */
  DROP_NEWEST(2),
  /** Keep only the latest queued message per topic (a newer one replaces it), then drop the oldest. */
  CONFLATE(3),
  /** Close the subscriber's connection: it learns at once that it cannot keep up. */
  DISCONNECT(4);

  private final int code;

  OverflowPolicy(int code) {
    this.code = code;
  }

  /** The wire code (SUBSCRIBE flag bits 10-12); 0 there means the server's default. */
  public int code() {
    return code;
  }

  /** The JSON name: {@code drop-oldest}, {@code drop-newest}, {@code conflate}, {@code disconnect}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The policy of {@code code}, or null for none (0 or unknown). */
  public static OverflowPolicy ofCode(int code) {
    for (OverflowPolicy policy : values()) {
      if (policy.code == code) {
        return policy;
      }
    }
    return null;
  }

  /** The policy named {@code name} in JSON, or null. */
  public static OverflowPolicy ofJsonName(String name) {
    for (OverflowPolicy policy : values()) {
      if (policy.jsonName().equals(name)) {
        return policy;
      }
    }
    return null;
  }
}
