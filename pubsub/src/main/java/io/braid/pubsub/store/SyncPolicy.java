package io.braid.pubsub.store;

/** When a durable store forces its writes to the disk before completing a {@link BrokerStore#sync()}. */
public enum SyncPolicy {

  /**
   * Every group commit is written and forced to the device (fsync) before its syncs complete: an acknowledged
   * message survives a process kill, an OS crash and a power loss. The default.
   */
  FSYNC,

  /**
   * Every group commit is written to the operating system before its syncs complete, and forced to the device only
   * in the background: an acknowledged message survives a process kill ({@code kill -9}), but may be lost if the
   * machine itself crashes. Faster on slow disks.
   */
  WRITE
}
