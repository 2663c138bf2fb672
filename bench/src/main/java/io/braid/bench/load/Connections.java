package io.braid.bench.load;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Opens many WebSocket connections with a bounded number of handshakes in progress, so that a large
 * run neither floods the server's accept queue nor times out in the client's connection queue.
 */
final class Connections {
  private Connections() {}

  /** The connections that opened, in request order, and how many failed. */
  record Opened<T>(List<T> connections, int failed, double seconds) {}

  /**
   * Opens {@code n} connections to {@code target}, spread over {@code clients} and over {@code contexts} (event
   * loops) in turn.
   *
   * @param onOpen called on the new connection's event loop as soon as its handshake is complete
   * @param progress called about once a second from the calling thread with the number finished
   */
  static <T> Opened<T> open(List<WebSocketClient> clients, List<Context> contexts, WebSocketConnectOptions target,
      int n, int concurrency, Function<WebSocket, T> onOpen, IntConsumer progress) throws Exception {
    AtomicReferenceArray<T> opened = new AtomicReferenceArray<>(n);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger remaining = new AtomicInteger(n);
    AtomicInteger failed = new AtomicInteger();
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable[] openNext = new Runnable[1];
    openNext[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        return;
      }
      Handler<AsyncResult<WebSocket>> finished = ar -> {
        if (ar.succeeded()) {
          opened.set(i, onOpen.apply(ar.result()));
        } else if (failed.getAndIncrement() == 0) {
          System.err.println("connection to " + target.getHost() + ":" + target.getPort() + " failed: " + ar.cause());
        }
        if (remaining.decrementAndGet() == 0) {
          done.complete(null);
        } else {
          openNext[0].run();
        }
      };
      // connecting on a context makes the connection that context's, so connections take the loops in turn
      contexts.get(i % contexts.size())
          .runOnContext(v -> clients.get(i % clients.size()).connect(target).onComplete(finished));
    };
    long start = System.nanoTime();
    for (int i = 0; i < Math.min(n, concurrency); i++) {
      openNext[0].run();
    }
    while (!done.isDone()) {
      try {
        done.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        progress.accept(n - remaining.get());
      }
    }
    List<T> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      T c = opened.get(i);
      if (c != null) {
        result.add(c);
      }
    }
    return new Opened<>(result, failed.get(), (System.nanoTime() - start) / 1e9);
  }
}
