package io.braid.pubsub.broker;

import java.util.concurrent.CompletableFuture;

/**
 * What {@link Broker#publish} did: how many deliveries it made, whether any was written to the store, what other
 * nodes' copies the acknowledgement waits for (null: none), and what completes once every copy stored was
 * acknowledged by its subscriber (null: only the store's sync makes it safe).
 */
record PublishOutcome(int deliveries, boolean stored, CompletableFuture<Void> elsewhere,
    CompletableFuture<Void> copies) {

  /** Whether acknowledging waits for anything: the store's sync or other nodes. */
  boolean waits() {
    return stored || elsewhere != null;
  }
}
