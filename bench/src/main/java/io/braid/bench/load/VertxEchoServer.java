package io.braid.bench.load;

import io.braid.server.websocket.SharedPort;
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
 * frame and message limits as Braid, and permessage-deflate only where asked for. Every text and binary message goes back
 * whole. Deployed like Braid's server: one verticle instance, so one event loop, per
 * {@code eventLoops}, all sharing one port.
 */
final class VertxEchoServer extends VerticleBase {
  private final String host;
  private final int port;
  private final boolean compression;
  private HttpServer server;

  private VertxEchoServer(String host, int port, boolean compression) {
    this.host = host;
    this.port = port;
    this.compression = compression;
  }

  /** Deploys the server and completes with the port it listens on. */
  static Future<Integer> deploy(Vertx vertx, String host, int eventLoops, boolean compression) {
    List<VertxEchoServer> instances = new CopyOnWriteArrayList<>();
    int port = SharedPort.forListener(0); // one random port for every instance, as Braid's
    return vertx.deployVerticle(() -> {
          VertxEchoServer v = new VertxEchoServer(host, port, compression);
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
        .setPerMessageWebSocketCompressionSupported(compression)
        .setWebSocketCompressionLevel(6)
        .setPerFrameWebSocketCompressionSupported(false);
    server = vertx.createHttpServer(options).webSocketHandler(ws -> {
      ws.binaryMessageHandler(ws::writeBinaryMessage);
      ws.textMessageHandler(ws::writeTextMessage);
    });
    return server.listen(port, host);
  }
}
