package io.braid.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;

/**
 * How forwarded messages travel between nodes. Two exist, measured against each other (BENCHMARKS.md section 17):
 * direct batched links ({@link NodeLinks}, the default) and the Vert.x clustered event bus
 * ({@link EventBusTransport}).
 *
 * <p><b>Threading:</b> {@link #send} and {@link #sendAcknowledged} may be called from any thread and never block;
 * messages sent by one thread to one node arrive in the order sent. The {@link Receiver} runs on an event loop of
 * this node, one per sending node.
 */
interface PeerTransport extends AutoCloseable {

  /** Starts receiving; completes once other nodes can reach this one. Blocking calls allowed: start-up. */
  Future<Void> start(Receiver receiver);

  /** Sends {@code message} to {@code node}; dropped if the node is gone. */
  void send(String node, Buffer message);

  /**
   * Sends {@code message} to {@code node}; completes once the node's {@link Receiver} has completed with it, or
   * fails if that cannot be known any more (the node left, or the connection to it broke after the message was
   * written).
   */
  CompletableFuture<Void> sendAcknowledged(String node, Buffer message);

  /**
   * Sends a change to the sessions whose replica {@code node} keeps ({@link ReplicaFrame}), in order with the changes
   * sent before; completes as {@link #sendAcknowledged} does. A transport whose link acknowledges in order carries
   * these on a link of their own: a forwarded message may wait, through a relay to the sender, for the sender's
   * replication, and a replica acknowledged behind it would never be.
   */
  default CompletableFuture<Void> replicate(String node, Buffer frame) {
    return sendAcknowledged(node, frame);
  }

  /** Forgets what it holds for {@code node}, which left the cluster. */
  void nodeLeft(String node);

  @Override
  void close();

  /** Takes messages from other nodes. */
  interface Receiver {

    /** Takes {@code message}; completes once the sender may consider it taken (durable where it was stored). */
    CompletableFuture<Void> receive(Buffer message);
  }
}
