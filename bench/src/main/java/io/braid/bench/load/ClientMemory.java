package io.braid.bench.load;

import io.braid.protocol.message.Connect;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client side's heap per idle connected client with one subscription, in this JVM: used heap after full
 * collections with and without the clients, against a broker in a child JVM.
 */
final class ClientMemory {

  private ClientMemory() {
  }

  static void measure(PrintStream out, LoadClient.Kind kind, int count, String heap, int brokerEventLoops,
      int clientEventLoops) throws Exception {
    try (BrokerProcess broker = BrokerProcess.start(heap, brokerEventLoops)) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientEventLoops));
      WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(count + 16).setConnectTimeout(60_000));
      List<LoadClient> clients = new ArrayList<>();
      try {
        connect(kind, 1, vertx, webSockets, broker.port(), clients, "warm"); // classes loaded, pools created
        long before = usedHeapAfterGc();
        connect(kind, count, vertx, webSockets, broker.port(), clients, "idle");
        long after = usedHeapAfterGc();
        out.printf("%nClient heap per idle connected %s client with one subscription, at %,d clients: %,d B (%.1f "
            + "KiB)%n", kind.label(), count, (after - before) / count, (after - before) / 1024.0 / count);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static void connect(LoadClient.Kind kind, int count, Vertx vertx, WebSocketClient webSockets, int port,
      List<LoadClient> clients, String prefix) throws Exception {
    for (int first = 0; first < count; first += 200) {
      List<Future<Void>> batch = new ArrayList<>();
      for (int i = first; i < Math.min(first + 200, count); i++) {
        String clientId = prefix + "-" + kind.label() + "-" + i;
        Future<LoadClient> connected = kind == LoadClient.Kind.SDK
            ? SdkLoadClient.connect(vertx.getOrCreateContext(), "127.0.0.1", port, clientId, false)
            : BraidLoadClient.connect(vertx.getOrCreateContext(), webSockets, "127.0.0.1", port, "/braid",
                Connect.builder(clientId).cleanStart(true).keepAlive(600).build()).map(c -> c);
        batch.add(connected.compose(client -> {
          io.vertx.core.Promise<Void> subscribed = io.vertx.core.Promise.promise();
          client.context().runOnContext(v -> client.subscribe("memory/" + clientId, 1, p -> { })
              .onComplete(subscribed));
          synchronized (clients) {
            clients.add(client); // kept reachable: what is measured
          }
          return subscribed.future();
        }));
      }
      Future.all(batch).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200); // lets reference processing finish between collections
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
