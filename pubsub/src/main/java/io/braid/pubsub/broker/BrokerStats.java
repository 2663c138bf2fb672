package io.braid.pubsub.broker;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link Broker}, cheap to update from any thread (striped adders), for the server to export as
 * metrics. Values are monotonic counts since the broker started.
 */
public final class BrokerStats {

  private final LongAdder[] published = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final LongAdder[] delivered = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
  private final Map<QueueOverflowPolicy, LongAdder> overflowed = new EnumMap<>(QueueOverflowPolicy.class);
  private final LongAdder storeFailures = new LongAdder();
  private final LongAdder redelivered = new LongAdder();
  private final LongAdder sharedGroupFallbacks = new LongAdder();

  BrokerStats() {
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, new LongAdder());
    }
    for (QueueOverflowPolicy policy : QueueOverflowPolicy.values()) {
      overflowed.put(policy, new LongAdder());
    }
  }

  /** Messages accepted from publishers (and wills) at {@code qos}. */
  public long published(int qos) {
    return published[qos].sum();
  }

  /** PUBLISH packets sent to subscribers at {@code qos}, counting redeliveries. */
  public long delivered(int qos) {
    return delivered[qos].sum();
  }

  /** Messages dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return dropped.get(reason).sum();
  }

  /** Messages dropped for a full queue under {@code policy} (a part of {@link DropReason#QUEUE_FULL}). */
  public long overflowed(QueueOverflowPolicy policy) {
    return overflowed.get(policy).sum();
  }

  /** PUBLISH and PUBREL packets resent with DUP after a reconnect. */
  public long redelivered() {
    return redelivered.sum();
  }

  /** Publishes that could not be acknowledged because the store failed. */
  public long storeFailures() {
    return storeFailures.sum();
  }

  /**
   * Messages for a shared subscription group none of whose members was connected with room in its window, so that
   * the message was queued for the member whose turn it was.
   */
  public long sharedGroupFallbacks() {
    return sharedGroupFallbacks.sum();
  }

  void onSharedGroupFallback() {
    sharedGroupFallbacks.increment();
  }

  void onPublished(int qos) {
    published[qos].increment();
  }

  void onDelivered(int qos) {
    delivered[qos].increment();
  }

  void onDropped(DropReason reason) {
    dropped.get(reason).increment();
  }

  void onOverflow(QueueOverflowPolicy policy) {
    dropped.get(DropReason.QUEUE_FULL).increment();
    overflowed.get(policy).increment();
  }

  void onRedelivered() {
    redelivered.increment();
  }

  void onStoreFailure() {
    storeFailures.increment();
  }
}
