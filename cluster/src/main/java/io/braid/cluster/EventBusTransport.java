package io.braid.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.CompletableFuture;

/**
 * Forwarded messages over the Vert.x clustered event bus: one send per message, to the node's own address; an
 * acknowledged one is a request whose reply comes once the receiver took it (at most 60 s).
 */
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
  public Future<Void> start(Receiver receiver) {
    consumer = vertx.eventBus().consumer(ADDRESS_PREFIX + self, message -> {
      CompletableFuture<Void> taken = receiver.receive(message.body());
      if (message.replyAddress() != null) {
        taken.whenComplete((done, failure) -> {
          if (failure == null) {
            message.reply(null);
          } else {
            message.fail(1, failure.getMessage());
          }
        });
      }
    });
    return consumer.completion();
  }

  @Override
  public void send(String node, Buffer message) {
    vertx.eventBus().send(ADDRESS_PREFIX + node, message);
  }

  @Override
  public CompletableFuture<Void> sendAcknowledged(String node, Buffer message) {
    return vertx.eventBus().request(ADDRESS_PREFIX + node, message, new DeliveryOptions().setSendTimeout(60_000))
        .<Void>mapEmpty().toCompletionStage().toCompletableFuture();
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
