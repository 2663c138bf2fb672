package io.braid.server.frontend;

/**
 * MQTT's keep-alive for one connection: a client that sends nothing for 1.5 times its keep-alive is gone
 * [MQTT-3.1.2-22]. What counts as activity is the wire protocol's to say; it calls {@link #activity}. Confined to
 * the connection's thread.
 */
public final class KeepAlive {

  private final long limitNanos;
  private long lastActivityNanos;

  public KeepAlive(int keepAliveSeconds, long nowNanos) {
    this.limitNanos = keepAliveSeconds * 1_500_000_000L;
    this.lastActivityNanos = nowNanos;
  }

  public void activity(long nowNanos) {
    lastActivityNanos = nowNanos;
  }

  /** Milliseconds of silence if the client is past 1.5 times its keep-alive, else -1. */
  public long overdueMillis(long nowNanos) {
    long silent = nowNanos - lastActivityNanos;
    return silent > limitNanos ? silent / 1_000_000 : -1;
  }

  /** How often to check: a quarter of the keep-alive, at least every 250 ms. */
  public static long checkEveryMillis(int keepAliveSeconds) {
    return Math.max(250, keepAliveSeconds * 1000L / 4);
  }
}
