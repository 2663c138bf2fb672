package io.braid.bench.jmh;

import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.ClientLink;
import io.braid.pubsub.broker.ConnectRequest;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.topic.TopicFilter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sessions of an in-process {@link Broker} for the core benchmarks: each connected on a single-thread executor that
 * stands in for its event loop, with a link that counts deliveries in a shared counter and acknowledges each at once.
 */
final class CountingSessions {
  private final Broker broker;
  final AtomicLong delivered = new AtomicLong();

  CountingSessions(Broker broker) {
    this.broker = broker;
  }

  /** A connected, started session on {@code loop}. */
  SessionHandle connect(String clientId, ExecutorService loop, boolean persistent) {
    SessionHandle[] handle = new SessionHandle[1];
    ClientLink link = new ClientLink() {
      @Override
      public boolean writable(TopicFilter subscription) {
        return true;
      }

      @Override
      public boolean sendPublish(OutboundPublish publish) {
        if (publish.qos() == 1) {
          handle[0].pubAck(publish.packetId());
        }
        delivered.incrementAndGet();
        return true;
      }

      @Override
      public void sendPubRel(TopicFilter subscription, int packetId) {
        handle[0].pubComp(packetId);
      }

      @Override
      public void close(DisconnectCause cause) {
      }
    };
    ConnectRequest request = persistent ? ConnectRequest.persistent(clientId, 3600) : ConnectRequest.clean(clientId);
    return join(CompletableFuture.supplyAsync(() -> broker.connect(request, link, loop), loop)
        .thenCompose(future -> future)
        .thenApplyAsync(result -> {
          handle[0] = result.handle();
          result.handle().start();
          return result.handle();
        }, loop));
  }

  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark step failed or timed out", e);
    }
  }
}
