package io.braid.server.mqtt;

import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.websocket.ConnectionHooks;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts MQTT connections over TCP (or TLS) on one event loop; several instances share the port, as the WebSocket
 * listener's do. A connection the node cannot admit (its connection limit, the per-address rate) is closed at once:
 * before CONNECT there is no packet to carry a reason in, and the refusal is logged and counted by the hooks.
 */
final class MqttListenerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MqttListenerVerticle.class);

  private final BrokerFrontEnd frontEnd;
  private final ConnectionHooks hooks;
  private final String host;
  private final int port;
  private final String certFile;
  private final String keyFile;
  private final long shutdownTimeoutMillis;
  private NetServer server;

  /** @param certFile the PEM certificate for TLS, or null for plain TCP */
  MqttListenerVerticle(BrokerFrontEnd frontEnd, ConnectionHooks hooks, String host, int port, String certFile,
      String keyFile, long shutdownTimeoutMillis) {
    this.frontEnd = frontEnd;
    this.hooks = hooks;
    this.host = host;
    this.port = port;
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.shutdownTimeoutMillis = shutdownTimeoutMillis;
  }

  @Override
  public Future<?> start() {
    NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
        .setReuseAddress(true).setAcceptBacklog(4096);
    boolean tls = certFile != null;
    if (tls) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile));
    }
    server = vertx.createNetServer(options).connectHandler(socket -> {
      ConnectionHooks.Refusal refusal = hooks.admit(socket.remoteAddress());
      if (refusal != null) {
        log.info("MQTT connection from {} refused: {}", socket.remoteAddress(), refusal.reason());
        socket.close();
        return;
      }
      NetSocketTransport transport = new NetSocketTransport(socket, tls);
      MqttConnection connection = new MqttConnection(frontEnd, transport);
      transport.onDrain(connection::onDrain);
      socket.handler(connection::onBytes);
      socket.closeHandler(v -> {
        hooks.released();
        connection.onClosed();
      });
      socket.exceptionHandler(e -> log.debug("MQTT socket error from {}: {}", transport.remote(), e.toString()));
      socket.shutdownHandler(v -> connection.onShutdown(transport::close));
    });
    return server.listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting; every client is told the server is shutting down once its publishes in progress are answered. */
  @Override
  public Future<?> stop() {
    return server.shutdown(shutdownTimeoutMillis, TimeUnit.MILLISECONDS);
  }
}
