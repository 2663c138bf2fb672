package io.braid.server.mqtt;

import io.braid.server.config.BrokerConfig;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.websocket.ConnectionHooks;
import io.braid.server.websocket.SharedPort;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's MQTT listeners on TCP ({@code mqtt.port}, 1883 by default) and TLS ({@code mqtt.tlsPort}, with
 * {@code mqtt.tls}): {@code instances} event loops each, on the same {@link BrokerFrontEnd} as Braid's own clients.
 * MQTT over WebSocket is the {@link MqttWebSocketEndpoint} of the main port. Thread safe.
 */
public final class MqttListeners {

  private static final Logger log = LoggerFactory.getLogger(MqttListeners.class);
  /** Room in a packet for the topic and properties around a payload of {@code limits.maxMessageBytes}. */
  private static final int PACKET_OVERHEAD = 65_536;
  /** The largest packet MQTT can frame (§1.5.5: a remaining length of at most 268,435,455 bytes). */
  private static final int MQTT_MAX_PACKET = 268_435_460;

  private final Vertx vertx;
  private final List<String> deployments;
  private final int port;
  private final int tlsPort;

  private MqttListeners(Vertx vertx, List<String> deployments, int port, int tlsPort) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.port = port;
    this.tlsPort = tlsPort;
  }

  /** Starts the listeners {@code config} enables (none if {@code mqtt.enabled} is false). */
  public static Future<MqttListeners> start(Vertx vertx, BrokerFrontEnd frontEnd, BrokerConfig config,
      ConnectionHooks hooks, int instances) {
    BrokerConfig.Mqtt mqtt = config.mqtt();
    if (!mqtt.enabled()) {
      return Future.succeededFuture(new MqttListeners(vertx, List.of(), -1, -1));
    }
    BrokerConfig.Tls tls = config.server().tls();
    Future<Deployed> plain = deploy(vertx, frontEnd, config, hooks, instances, mqtt.port(), null, null);
    return plain.compose(tcp -> {
      if (!mqtt.tls()) {
        return Future.succeededFuture(new MqttListeners(vertx, List.of(tcp.id()), tcp.port(), -1));
      }
      return deploy(vertx, frontEnd, config, hooks, instances, mqtt.tlsPort(), tls.certFile(), tls.keyFile())
          .map(secure -> new MqttListeners(vertx, List.of(tcp.id(), secure.id()), tcp.port(), secure.port()))
          .recover(failure -> vertx.undeploy(tcp.id()).transform(ignored -> Future.failedFuture(failure)));
    }).onSuccess(listeners -> log.info("MQTT listening on {}:{}{} with {} event loops", config.server().host(),
        listeners.port, listeners.tlsPort > 0 ? " and TLS port " + listeners.tlsPort : "", instances));
  }

  private record Deployed(String id, int port) {
  }

  private static Future<Deployed> deploy(Vertx vertx, BrokerFrontEnd frontEnd, BrokerConfig config,
      ConnectionHooks hooks, int instances, int port, String certFile, String keyFile) {
    List<MqttListenerVerticle> verticles = new CopyOnWriteArrayList<>();
    int shared = SharedPort.forListener(port);
    return vertx.deployVerticle(() -> {
      MqttListenerVerticle verticle = new MqttListenerVerticle(frontEnd, hooks, config.server().host(), shared,
          certFile, keyFile, config.server().shutdownTimeoutMillis());
      verticles.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).map(id -> new Deployed(id, verticles.get(0).actualPort()));
  }

  /** The largest packet a client may send: {@code limits.maxMessageBytes} of payload plus room for its headers. */
  static int maxPacketSize(BrokerConfig config) {
    return (int) Math.min(MQTT_MAX_PACKET, (long) config.limits().maxMessageBytes() + PACKET_OVERHEAD);
  }

  /** The TCP port, or -1 if MQTT is off. */
  public int port() {
    return port;
  }

  /** The TLS port, or -1 if MQTT over TLS is off. */
  public int tlsPort() {
    return tlsPort;
  }

  /** Stops accepting and shuts every MQTT connection down gracefully. */
  public Future<Void> close() {
    return Future.join(deployments.stream().map(vertx::undeploy).toList()).mapEmpty();
  }
}
