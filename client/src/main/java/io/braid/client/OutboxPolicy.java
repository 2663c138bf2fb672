package io.braid.client;

/**
 * What a publish does when the outbox is full: the publishes not yet written, because the client is disconnected or
 * the broker's credit is used up. Set in {@link BraidClientOptions#outbox}.
 */
public enum OutboxPolicy {
  /** Fail at once with {@link BraidException.OutboxFull}. */
  FAIL,
  /** Wait for room up to the outbox's wait time, then fail with {@link BraidException.OutboxFull}. */
  WAIT
}
