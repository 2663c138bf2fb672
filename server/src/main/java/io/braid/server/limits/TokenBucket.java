package io.braid.server.limits;

/**
 * A token bucket: up to {@code ratePerSecond} events a second on average, in bursts of up to {@code burst} events
 * (one second's worth unless given). A rate of 0 means unlimited. Not thread safe: confine it to one connection's
 * event loop, or synchronize.
 */
public final class TokenBucket {

  private final long ratePerSecond;
  private final long capacityNanos;
  private final long nanosPerToken;
  /** The time at which the bucket would be empty again: tokens are (now - emptyAt) / nanosPerToken. */
  private long emptyAt;

  public TokenBucket(long ratePerSecond, long nowNanos) {
    this(ratePerSecond, ratePerSecond, nowNanos);
  }

  /** A bucket of {@code burst} tokens (at least 1), refilled at {@code ratePerSecond}; it starts full. */
  public TokenBucket(long ratePerSecond, long burst, long nowNanos) {
    this.ratePerSecond = ratePerSecond;
    this.nanosPerToken = ratePerSecond == 0 ? 0 : Math.max(1, 1_000_000_000L / ratePerSecond);
    this.capacityNanos = nanosPerToken * Math.max(1, burst);
    this.emptyAt = nowNanos - capacityNanos; // starts full
  }

  /** Takes one token if there is one at {@code nowNanos}. */
  public boolean tryAcquire(long nowNanos) {
    if (ratePerSecond == 0) {
      return true;
    }
    if (nowNanos - emptyAt > capacityNanos) {
      emptyAt = nowNanos - capacityNanos; // full: tokens beyond the capacity are not kept
    }
    if (nowNanos - emptyAt < nanosPerToken) {
      return false;
    }
    emptyAt += nanosPerToken;
    return true;
  }

  /**
   * Takes one token, borrowing it from the future if there is none: returns how long, from {@code nowNanos}, until
   * it would have been there (0 if it was). For slowing a user down rather than refusing it.
   */
  public long reserve(long nowNanos) {
    if (ratePerSecond == 0) {
      return 0;
    }
    if (nowNanos - emptyAt > capacityNanos) {
      emptyAt = nowNanos - capacityNanos;
    }
    emptyAt += nanosPerToken;
    return Math.max(0, emptyAt - nowNanos);
  }

  /** Whether the bucket holds a whole second's worth of tokens again: its user has been idle. */
  public boolean isFull(long nowNanos) {
    return nowNanos - emptyAt >= capacityNanos;
  }

  /** The configured rate; 0 for unlimited. */
  public long ratePerSecond() {
    return ratePerSecond;
  }
}
