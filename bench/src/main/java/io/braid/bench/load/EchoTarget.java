package io.braid.bench.load;

import io.braid.server.websocket.BraidServer;
import io.braid.server.websocket.BraidServerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;

/**
 * A WebSocket echo endpoint to put load on. The built-in targets start their server in a Vert.x
 * instance of their own with a fixed number of event loops, so that the load client, which has
 * another instance, never shares an event loop with the server it measures.
 *
 * <p>Thread safe.
 */
interface EchoTarget {
  /** Frame and message limit given to every server and client: Braid's default, 16 MiB. */
  int MAX_MESSAGE = 16 * 1024 * 1024;

  String name();

  String host();

  int port();

  String path();

  /** The server's event-loop threads when it runs in this process, else an empty list. */
  default java.util.List<Thread> eventLoops() {
    return java.util.List.of();
  }

  /** Stops the server, if this target started one, and waits until it has. */
  void close() throws Exception;

  /** Braid's {@code /echo} on {@link BraidServer}, over its hand-written RFC 6455 stack, without compression. */
  static Future<EchoTarget> braid(int eventLoops) {
    return braid(eventLoops, Compression.off);
  }

  /** Braid's {@code /echo}, accepting compression as {@code compression} says. */
  static Future<EchoTarget> braid(int eventLoops, Compression compression) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    BraidServerOptions options = new BraidServerOptions()
        .host("127.0.0.1")
        .port(0)
        .echoEnabled(true)
        .instances(eventLoops)
        .maxFramePayload(MAX_MESSAGE)
        .maxMessageSize(MAX_MESSAGE)
        .permessageDeflate(compression.braidConfig());
    return BraidServer.start(vertx, options)
        .compose(server -> EventLoopThreads.of(vertx, eventLoops).<EchoTarget>map(threads ->
            new Started("braid", server.actualPort(), "/echo", threads, () -> {
              await(server.close());
              await(vertx.close());
            })))
        .recover(e -> vertx.close().transform(v -> Future.failedFuture(e)));
  }

  /** An echo server on Vert.x's built-in {@code HttpServer} WebSocket support, without compression. */
  static Future<EchoTarget> vertx(int eventLoops) {
    return vertx(eventLoops, Compression.off);
  }

  /** Vert.x's echo server, accepting compression (Netty's, level 6, context takeover) unless {@code off}. */
  static Future<EchoTarget> vertx(int eventLoops, Compression compression) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    return VertxEchoServer.deploy(vertx, "127.0.0.1", eventLoops, compression.enabled())
        .compose(port -> EventLoopThreads.of(vertx, eventLoops).<EchoTarget>map(threads ->
            new Started("vertx", port, "/echo", threads, () -> await(vertx.close()))))
        .recover(e -> vertx.close().transform(v -> Future.failedFuture(e)));
  }

  /** A server this tool does not start, named by a {@code ws://host:port/path} URI. */
  static EchoTarget external(URI uri) {
    if (!"ws".equals(uri.getScheme())) {
      throw new IllegalArgumentException("--target must be a ws:// URI (wss is not supported), was " + uri);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new External(uri.getHost(), port, path);
  }

  /** Stops an in-process server. */
  @FunctionalInterface
  interface Stopper {
    void stop() throws Exception;
  }

  /** Waits for {@code future} on a thread that is not an event loop. */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** A target whose server runs in this process. */
  record Started(String name, int port, String path, java.util.List<Thread> eventLoops, Stopper stopper)
      implements EchoTarget {
    @Override
    public String host() {
      return "127.0.0.1";
    }

    @Override
    public void close() throws Exception {
      stopper.stop();
    }
  }

  /** A target outside this process. */
  record External(String host, int port, String path) implements EchoTarget {
    @Override
    public String name() {
      return "external";
    }

    @Override
    public void close() {
      // not ours to stop
    }
  }
}
