package io.braid.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * How forwarded messages travel between nodes. Two exist, measured against each other (BENCHMARKS.md section 17):
 * direct batched links ({@link NodeLinks}, the default) and the Vert.x clustered event bus
 * ({@link EventBusTransport}).
 *
 * <p><b>Threading:</b> {@link #send} may be called from any thread and never blocks; messages sent by one thread to
 * one node arrive in the order sent. {@code receiver} runs on one event loop of this node.
 */
interface PeerTransport extends AutoCloseable {

  /** Starts receiving; completes once other nodes can reach this one. Blocking calls allowed: start-up. */
  Future<Void> start(Consumer<Buffer> receiver);

  /** Sends {@code message} to {@code node}; dropped if the node is gone. */
  void send(String node, Buffer message);

  /** Forgets what it holds for {@code node}, which left the cluster. */
  void nodeLeft(String node);

  @Override
  void close();
}
