package io.braid.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;

/** Forwarded messages over the Vert.x clustered event bus: one send per message, to the node's own address. */
final class EventBusTransport implements PeerTransport {

  private static final String ADDRESS_PREFIX = "braid.cluster.node.";

  private final Vertx vertx;
  private final String self;
  private MessageConsumer<Buffer> consumer;

  EventBusTransport(Vertx vertx, String self) {
    this.vertx = vertx;
    this.self = self;
  }

  @Override
  public Future<Void> start(Consumer<Buffer> receiver) {
    consumer = vertx.eventBus().consumer(ADDRESS_PREFIX + self, message -> receiver.accept(message.body()));
    return consumer.completion();
  }

  @Override
  public void send(String node, Buffer message) {
    vertx.eventBus().send(ADDRESS_PREFIX + node, message);
  }

  @Override
  public void nodeLeft(String node) {
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.unregister();
    }
  }
}
