package io.braid.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that delays every byte by a fixed time in each direction: a long link simulated on one
 * machine, to see what the broker's windows allow when a round trip takes milliseconds (a window of W messages on
 * a round trip of R carries at most W / R messages a second). The round trip through it is twice the delay.
 *
 * <p>Bytes keep their order (Vert.x fires timers of equal delay in the order they were set, and both sockets of a
 * connection are on the proxy's one event loop). Reading from one side pauses while more than {@link #HIGH_WATER}
 * bytes are on their way to the other, or while the other side's write queue is full, so a slow reader is felt by
 * the writer as on a real link. It runs in a Vert.x of its own with one event loop.
 */
final class DelayProxy implements AutoCloseable {

  /** Bytes in flight in one direction of one connection before its reading pauses: more than 10 ms at 100 MB/s. */
  static final int HIGH_WATER = 4 << 20;

  private final Vertx vertx;
  private final NetServer server;

  private DelayProxy(Vertx vertx, NetServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:upstreamPort}, delaying each direction. */
  static DelayProxy start(int upstreamPort, long delayMillis) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(60_000));
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)
        .setTcpNoDelay(true).setAcceptBacklog(4_096));
    server.connectHandler(downstream -> {
      downstream.pause();
      client.connect(upstreamPort, "127.0.0.1").onComplete(connected -> {
        if (connected.failed()) {
          downstream.close();
          return;
        }
        NetSocket upstream = connected.result();
        new Direction(vertx, downstream, upstream, delayMillis).start();
        new Direction(vertx, upstream, downstream, delayMillis).start();
        downstream.resume();
      });
    });
    server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new DelayProxy(vertx, server);
  }

  /** The port clients connect to instead of the upstream's. */
  int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** One direction of one connection: what {@code from} sends reaches {@code to} {@code delayMillis} later. */
  private static final class Direction {
    private final Vertx vertx;
    private final NetSocket from;
    private final NetSocket to;
    private final long delayMillis;
    private long inFlight;
    private boolean paused;

    Direction(Vertx vertx, NetSocket from, NetSocket to, long delayMillis) {
      this.vertx = vertx;
      this.from = from;
      this.to = to;
      this.delayMillis = delayMillis;
    }

    void start() {
      from.handler(this::onRead);
      from.closeHandler(v -> vertx.setTimer(delayMillis, t -> to.close())); // the close travels behind the bytes
      to.drainHandler(v -> resumeIfBelowWater());
    }

    private void onRead(Buffer bytes) {
      inFlight += bytes.length();
      if (inFlight > HIGH_WATER) {
        pause();
      }
      vertx.setTimer(delayMillis, t -> {
        to.write(bytes);
        inFlight -= bytes.length();
        if (to.writeQueueFull()) {
          pause();
        } else {
          resumeIfBelowWater();
        }
      });
    }

    private void pause() {
      if (!paused) {
        paused = true;
        from.pause();
      }
    }

    private void resumeIfBelowWater() {
      if (paused && inFlight <= HIGH_WATER / 2 && !to.writeQueueFull()) {
        paused = false;
        from.resume();
      }
    }
  }
}
