package io.braid.pubsub.store;

/**
 * Counters of a {@link BrokerStore} since it opened, for metrics.
 *
 * @param commits group commits written (each completing every sync that waited for it)
 * @param syncs syncs completed successfully
 * @param commitNanos total time spent writing commits, in nanoseconds
 * @param forces forces to the device (fsyncs): one per commit under {@link SyncPolicy#FSYNC}
 * @param forceNanos total time spent forcing, in nanoseconds
 * @param failed whether the store has failed and refuses every sync
 */
public record StoreStats(long commits, long syncs, long commitNanos, long forces, long forceNanos, boolean failed) {

  /** The statistics of a store that never commits to a disk. */
  public static final StoreStats NONE = new StoreStats(0, 0, 0, 0, 0, false);

  /** Mean duration of a commit's write so far, in microseconds; 0 before the first. */
  public double meanCommitMicros() {
    return commits == 0 ? 0 : commitNanos / 1_000.0 / commits;
  }
}
