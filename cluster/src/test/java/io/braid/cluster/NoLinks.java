package io.braid.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;

/** A transport that sends nothing, for tests of one node's side: every acknowledged send is taken at once. */
final class NoLinks implements PeerTransport {

  @Override
  public Future<Void> start(Receiver receiver) {
    return Future.succeededFuture();
  }

  @Override
  public void send(String node, Buffer message) {
  }

  @Override
  public CompletableFuture<Void> sendAcknowledged(String node, Buffer message) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void nodeLeft(String node) {
  }

  @Override
  public void close() {
  }
}
