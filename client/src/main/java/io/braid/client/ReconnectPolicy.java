package io.braid.client;

/**
 * When to try again after a connection is lost: exponential backoff from {@code initialDelayMillis} up to
 * {@code maxDelayMillis}, each delay drawn at random between half of it and all of it (jitter), so that many clients
 * cut off together do not come back together; each attempt takes the next server URI in turn.
 *
 * @param initialDelayMillis the delay before the first attempt after a loss
 * @param maxDelayMillis the longest delay
 * @param maxAttempts attempts in a row before the client gives up and closes; 0 tries for ever
 */
public record ReconnectPolicy(long initialDelayMillis, long maxDelayMillis, int maxAttempts) {

  /** 100 ms, doubling up to 30 s, for ever. */
  public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(100, 30_000, 0);
  /** No reconnecting: a lost connection closes the client. */
  public static final ReconnectPolicy NEVER = new ReconnectPolicy(0, 0, -1);

  public ReconnectPolicy {
    if (initialDelayMillis < 0 || maxDelayMillis < initialDelayMillis || maxAttempts < -1) {
      throw new IllegalArgumentException("reconnect policy: 0 <= initial delay <= max delay and max attempts >= 0");
    }
  }

  /** Whether the client reconnects at all. */
  public boolean enabled() {
    return maxAttempts >= 0;
  }

  /** The delay before attempt {@code attempt} (1 for the first), with jitter from {@code random} in [0, 1). */
  long delayMillis(int attempt, double random) {
    double full = Math.min(maxDelayMillis, initialDelayMillis * Math.pow(2, Math.min(attempt - 1, 30)));
    return (long) (full / 2 + full / 2 * random);
  }
}
