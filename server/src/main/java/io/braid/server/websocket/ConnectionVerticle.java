package io.braid.server.websocket;

import io.braid.protocol.handshake.ServerHandshake;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts WebSocket connections on one event loop. Several instances listen on the same port and
 * Vert.x spreads accepted sockets across them; each connection then lives on its instance's loop,
 * so the connection set here needs no locking.
 */
final class ConnectionVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ConnectionVerticle.class);

  private final BraidServerOptions options;
  private final ServerHandshake handshake;
  private final Map<String, WsEndpoint> endpoints;
  private final int port;
  private final ConnectionHooks hooks;
  private final Set<WsConnection> connections = new HashSet<>();

  private NetServer server;
  private long sweepTimer = -1;

  ConnectionVerticle(BraidServerOptions options, ServerHandshake handshake, Map<String, WsEndpoint> endpoints, int port,
      ConnectionHooks hooks) {
    this.options = options;
    this.handshake = handshake;
    this.endpoints = endpoints;
    this.port = port;
    this.hooks = hooks;
  }

  @Override
  public Future<?> start() {
    NetServerOptions netOptions = new NetServerOptions()
        .setHost(options.host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setAcceptBacklog(4096);
    if (options.tlsCertPath() != null) {
      netOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(options.tlsCertPath())
          .setKeyPath(options.tlsKeyPath()));
    }
    server = vertx.createNetServer(netOptions).connectHandler(socket -> {
      WsConnection connection = new WsConnection(vertx, socket, this, options);
      connections.add(connection);
      connection.start();
    });
    long idle = options.idleTimeoutMillis();
    if (idle > 0) {
      long tick = Math.max(100, Math.min(idle, options.pongTimeoutMillis()) / 4);
      sweepTimer = vertx.setPeriodic(tick, id -> sweep());
    }
    return server.listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  ServerHandshake handshake() {
    return handshake;
  }

  ConnectionHooks hooks() {
    return hooks;
  }

  WsEndpoint endpoint(String path) {
    return endpoints.get(path);
  }

  void removed(WsConnection connection) {
    connections.remove(connection);
  }

  private void sweep() {
    long now = System.nanoTime();
    for (WsConnection c : new ArrayList<>(connections)) {
      c.checkKeepAlive(now);
    }
  }

  /**
   * Stops accepting and shuts down gracefully: every client gets close 1001 (through the socket's
   * shutdown handler) and has {@link BraidServerOptions#shutdownTimeoutMillis()} to complete the close
   * handshake before its TCP connection is closed.
   */
  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (!connections.isEmpty()) {
      log.info("closing {} connections: server shutting down", connections.size());
    }
    return server.shutdown(options.shutdownTimeoutMillis(), TimeUnit.MILLISECONDS);
  }
}
