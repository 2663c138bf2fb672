package io.braid.cluster;

import java.util.concurrent.atomic.LongAdder;

/** What a node's cluster transport did since it started. Any thread. */
public final class ClusterStats {

  private final LongAdder forwarded = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder receivedUndelivered = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder routeChanges = new LongAdder();
  private final LongAdder linkDrops = new LongAdder();

  void onForwarded() {
    forwarded.increment();
  }

  void onReceived(boolean delivered) {
    received.increment();
    if (!delivered) {
      receivedUndelivered.increment();
    }
  }

  void onMalformed() {
    malformed.increment();
  }

  void onLinkDrop() {
    linkDrops.increment();
  }

  void onRouteChange() {
    routeChanges.increment();
  }

  /** Messages sent to other nodes (a message sent to two nodes counts twice). */
  public long forwarded() {
    return forwarded.sum();
  }

  /** Messages received from other nodes. */
  public long received() {
    return received.sum();
  }

  /**
   * Messages received from other nodes that no local session took and that were not retained: the route table was
   * behind a subscription that had just ended.
   */
  public long receivedUndelivered() {
    return receivedUndelivered.sum();
  }

  /** Messages from other nodes that could not be decoded (dropped and logged). */
  public long malformed() {
    return malformed.sum();
  }

  /** Messages dropped because the link to their node had too many waiting (the node slow or unreachable). */
  public long linkDrops() {
    return linkDrops.sum();
  }

  /** Routes this node announced or withdrew. */
  public long routeChanges() {
    return routeChanges.sum();
  }
}
