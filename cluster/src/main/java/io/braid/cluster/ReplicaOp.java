package io.braid.cluster;

import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.StoredSession;

/**
 * One change to a persistent session, as its node sends it to the node that keeps its replica: the session-scoped
 * calls of the store ({@link io.braid.pubsub.store.BrokerStore}), plus {@link Reset}, which starts a full copy, and {@link Release}, which ends the replica.
 */
sealed interface ReplicaOp {

  /** Forget every session held for the sending node: a full copy follows. */
  record Reset() implements ReplicaOp {
  }

  /** The sending node keeps its replica elsewhere now: forget its sessions, and ignore it until a {@link Reset}. */
  record Release() implements ReplicaOp {
  }

  record SaveSession(StoredSession session) implements ReplicaOp {
  }

  record DeleteSession(String clientId) implements ReplicaOp {
  }

  record Enqueue(String clientId, QueuedMessage message) implements ReplicaOp {
  }

  record Dequeue(String clientId, long sequence) implements ReplicaOp {
  }

  record Progress(String clientId, long sequence, QueuedMessage.Progress progress) implements ReplicaOp {
  }

  record AddInbound(String clientId, int packetId) implements ReplicaOp {
  }

  record RemoveInbound(String clientId, int packetId) implements ReplicaOp {
  }
}
