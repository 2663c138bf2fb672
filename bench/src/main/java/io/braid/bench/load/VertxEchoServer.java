package io.braid.bench.load;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The peer: an echo server on Vert.x's built-in {@link HttpServer} WebSocket support, with the same
 * frame and message limits as Braid and compression off. Every text and binary message goes back
 * whole. Deployed like Braid's server: one verticle instance, so one event loop, per
 * {@code eventLoops}, all sharing one port.
 */
final class VertxEchoServer extends VerticleBase {
  private final String host;
  private final int port;
  private HttpServer server;

  private VertxEchoServer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Deploys the server and completes with the port it listens on. */
  static Future<Integer> deploy(Vertx vertx, String host, int eventLoops) {
    List<VertxEchoServer> instances = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          VertxEchoServer v = new VertxEchoServer(host, 0);
          instances.add(v);
          return v;
        }, new DeploymentOptions().setInstances(eventLoops))
        .map(id -> instances.get(0).server.actualPort());
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setMaxWebSocketFrameSize(EchoTarget.MAX_MESSAGE)
        .setMaxWebSocketMessageSize(EchoTarget.MAX_MESSAGE)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    server = vertx.createHttpServer(options).webSocketHandler(ws -> {
      ws.binaryMessageHandler(ws::writeBinaryMessage);
      ws.textMessageHandler(ws::writeTextMessage);
    });
    return server.listen(port, host);
  }
}
