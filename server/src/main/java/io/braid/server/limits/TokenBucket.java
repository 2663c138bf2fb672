package io.braid.server.limits;

/**
 * A token bucket: up to {@code ratePerSecond} events a second on average, in bursts of up to one second's worth.
 * A rate of 0 means unlimited. Not thread safe: confine it to one connection's event loop, or synchronize.
 */
public final class TokenBucket {

  private final long ratePerSecond;
  private final long capacityNanos;
  private final long nanosPerToken;
  /** The time at which the bucket would be empty again: tokens are (now - emptyAt) / nanosPerToken. */
  private long emptyAt;

  public TokenBucket(long ratePerSecond, long nowNanos) {
    this.ratePerSecond = ratePerSecond;
    this.nanosPerToken = ratePerSecond == 0 ? 0 : Math.max(1, 1_000_000_000L / ratePerSecond);
    this.capacityNanos = nanosPerToken * Math.max(1, ratePerSecond);
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

  /** Whether the bucket holds a whole second's worth of tokens again: its user has been idle. */
  public boolean isFull(long nowNanos) {
    return nowNanos - emptyAt >= capacityNanos;
  }

  /** The configured rate; 0 for unlimited. */
  public long ratePerSecond() {
    return ratePerSecond;
  }
}
