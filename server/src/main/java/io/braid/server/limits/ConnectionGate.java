package io.braid.server.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of new connections to this node: at most {@code maxConnections} open at once, and at most
 * {@code ratePerIp} new ones a second from one address on average, in bursts of up to {@code burstPerIp} (a fleet
 * behind one NAT reconnecting at once after an outage is not refused). Shared by every event loop: the count is one atomic, the
 * per-address buckets a concurrent map whose idle entries {@link #sweep} removes. Thread safe.
 */
public final class ConnectionGate {

  /** Why a connection was refused; null from {@link #admit} means admitted. */
  public enum Refusal { TOO_MANY_CONNECTIONS, RATE_EXCEEDED }

  private final int maxConnections;
  private final int ratePerIp;
  private final int burstPerIp;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public ConnectionGate(int maxConnections, int ratePerIp) {
    this(maxConnections, ratePerIp, ratePerIp);
  }

  public ConnectionGate(int maxConnections, int ratePerIp, int burstPerIp) {
    this.maxConnections = maxConnections;
    this.ratePerIp = ratePerIp;
    this.burstPerIp = Math.max(ratePerIp, burstPerIp);
  }

  /**
   * Admits a connection from {@code address} at {@code nowNanos}, or says why not. An admitted connection must be
   * {@link #released} exactly once when it closes.
   */
  public Refusal admit(String address, long nowNanos) {
    if (ratePerIp > 0) {
      TokenBucket bucket = buckets.computeIfAbsent(address, key -> new TokenBucket(ratePerIp, burstPerIp, nowNanos));
      boolean allowed;
      synchronized (bucket) {
        allowed = bucket.tryAcquire(nowNanos);
      }
      if (!allowed) {
        return Refusal.RATE_EXCEEDED;
      }
    }
    if (open.incrementAndGet() > maxConnections && maxConnections > 0) {
      open.decrementAndGet();
      return Refusal.TOO_MANY_CONNECTIONS;
    }
    return null;
  }

  /** The most connections open at once; 0 for unlimited. */
  public int maxConnections() {
    return maxConnections;
  }

  /** The most new connections a second from one address; 0 for unlimited. */
  public int ratePerIp() {
    return ratePerIp;
  }

  /** An admitted connection closed. */
  public void released() {
    open.decrementAndGet();
  }

  /** Connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** Forgets the buckets that refilled completely (idle addresses); call every few seconds to bound memory. */
  public void sweep(long nowNanos) {
    buckets.entrySet().removeIf(entry -> {
      synchronized (entry.getValue()) {
        return entry.getValue().isFull(nowNanos);
      }
    });
  }

  /** Addresses with a bucket; for tests. */
  int trackedAddresses() {
    return buckets.size();
  }
}
