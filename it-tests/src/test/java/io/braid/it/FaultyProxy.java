package io.braid.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a broker that injects faults: it cuts every connection through it at once, stalls them
 * (holds their bytes) or slows them (delays each read), and can point at another broker port after a restart. Built on
 * Vert.x {@link NetServer} and {@link NetClient}; thread safe.
 */
final class FaultyProxy implements AutoCloseable {

  /** One client connection through the proxy: the two sockets. */
  private static final class Pipe {
    private final NetSocket client;
    private final NetSocket broker;
    /** Stalled: nothing resumes its sockets. */
    volatile boolean stalled;

    Pipe(NetSocket client, NetSocket broker) {
      this.client = client;
      this.broker = broker;
    }

    NetSocket client() {
      return client;
    }

    NetSocket broker() {
      return broker;
    }
  }

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient netClient;
  private final List<Pipe> pipes = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile int target;
  private volatile long delayMillis;

  private FaultyProxy(Vertx vertx, int target) {
    this.vertx = vertx;
    this.target = target;
    this.netClient = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::accept);
  }

  /** A proxy on a free loopback port, forwarding to {@code targetPort}. */
  static FaultyProxy start(Vertx vertx, int targetPort) throws Exception {
    FaultyProxy proxy = new FaultyProxy(vertx, targetPort);
    proxy.server.listen(0, TestServers.HOST).await(10, TimeUnit.SECONDS);
    return proxy;
  }

  int port() {
    return server.actualPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** Forwards new connections to {@code port} (a broker restarted elsewhere). */
  void target(int port) {
    this.target = port;
  }

  /** Cuts every connection through the proxy, both ways, without a WebSocket close: as a network failure does. */
  void cutAll() {
    for (Pipe pipe : pipes) {
      pipe.client().close();
      pipe.broker().close();
    }
    pipes.clear();
  }

  /**
   * Holds every byte of the connections open now, both ways, without closing them: connections that hang (a
   * half-open TCP connection, a frozen middlebox) rather than break. New connections are not affected.
   */
  void stall() {
    for (Pipe pipe : pipes) {
      pipe.stalled = true;
      pipe.client().pause();
      pipe.broker().pause();
    }
  }

  /** Delays each chunk forwarded by {@code millis} (0: no delay). */
  void slow(long millis) {
    this.delayMillis = millis;
  }

  private void accept(NetSocket client) {
    accepted.incrementAndGet();
    client.pause();
    netClient.connect(target, TestServers.HOST).onComplete(connected -> {
      if (connected.failed()) {
        client.close();
        return;
      }
      NetSocket broker = connected.result();
      Pipe pipe = new Pipe(client, broker);
      pipes.add(pipe);
      forward(pipe, client, broker);
      forward(pipe, broker, client);
      client.closeHandler(v -> {
        broker.close();
        pipes.remove(pipe);
      });
      broker.closeHandler(v -> {
        client.close();
        pipes.remove(pipe);
      });
      client.resume();
    });
  }

  private void forward(Pipe pipe, NetSocket from, NetSocket to) {
    from.exceptionHandler(e -> from.close()); // a reset from either side: the pipe closes, as a network would
    from.handler(data -> {
      long delay = delayMillis;
      if (delay <= 0) {
        write(pipe, from, to, data);
      } else {
        from.pause();
        vertx.setTimer(delay, id -> {
          write(pipe, from, to, data);
          resume(pipe, from);
        });
      }
    });
  }

  private static void write(Pipe pipe, NetSocket from, NetSocket to, Buffer data) {
    to.write(data);
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> resume(pipe, from));
    }
  }

  private static void resume(Pipe pipe, NetSocket socket) {
    if (!pipe.stalled) {
      socket.resume();
    }
  }

  @Override
  public void close() throws Exception {
    cutAll();
    Future.all(server.close(), netClient.close()).await(10, TimeUnit.SECONDS);
  }
}
