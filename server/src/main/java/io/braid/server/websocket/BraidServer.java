package io.braid.server.websocket;

import io.braid.protocol.handshake.EndpointSpec;
import io.braid.protocol.handshake.OriginPolicy;
import io.braid.protocol.handshake.ServerHandshake;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Braid server: {@link BraidServerOptions#instances()} connection verticles on one port, each on
 * its own event loop, serving WebSocket endpoints over a hand-written RFC 6455 stack on raw TCP.
 *
 * <pre>{@code
 * BraidServer.start(vertx, new BraidServerOptions().port(0).echoEnabled(true))
 *     .onSuccess(server -> System.out.println("listening on " + server.actualPort()));
 * }</pre>
 *
 * <p>Thread safe.
 */
public final class BraidServer {
  private static final Logger log = LoggerFactory.getLogger(BraidServer.class);

  private final Vertx vertx;
  private final int actualPort;
  private final String deploymentId;
  private Future<Void> closed;

  private BraidServer(Vertx vertx, int actualPort, String deploymentId) {
    this.vertx = vertx;
    this.actualPort = actualPort;
    this.deploymentId = deploymentId;
  }

  /** Starts a server with the built-in endpoints that {@code options} enable. */
  public static Future<BraidServer> start(Vertx vertx, BraidServerOptions options) {
    return start(vertx, options, List.of());
  }

  /** Starts a server with the built-in endpoints that {@code options} enable plus {@code extra}. */
  public static Future<BraidServer> start(Vertx vertx, BraidServerOptions options, List<WsEndpoint> extra) {
    return start(vertx, options, extra, ConnectionHooks.NONE);
  }

  /**
   * Starts a server with the built-in endpoints that {@code options} enable plus {@code extra}, admitting and
   * observing connections through {@code hooks}.
   */
  public static Future<BraidServer> start(Vertx vertx, BraidServerOptions options, List<WsEndpoint> extra,
      ConnectionHooks hooks) {
    BraidServerOptions opts;
    try {
      opts = new BraidServerOptions(options).validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Map<String, WsEndpoint> endpoints = new LinkedHashMap<>();
    if (opts.echoEnabled()) {
      endpoints.put(opts.echoPath(), new EchoEndpoint(opts.echoPath()));
    }
    for (WsEndpoint e : extra) {
      endpoints.put(e.spec().path(), e);
    }
    List<EndpointSpec> specs = endpoints.values().stream().map(WsEndpoint::spec).collect(Collectors.toList());
    OriginPolicy origins = opts.allowedOrigins().isEmpty() ? OriginPolicy.any() : OriginPolicy.allowList(opts.allowedOrigins());
    ServerHandshake handshake = new ServerHandshake(specs, origins, opts.permessageDeflate());
    Map<String, WsEndpoint> frozen = Map.copyOf(endpoints);

    List<ConnectionVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    int port = SharedPort.forListener(opts.port());
    return vertx.deployVerticle(() -> {
          ConnectionVerticle v = new ConnectionVerticle(opts, handshake, frozen, port, hooks);
          instances.add(v);
          return v;
        }, new DeploymentOptions().setInstances(opts.instances()))
        .map(id -> new BraidServer(vertx, instances.get(0).actualPort(), id))
        .onSuccess(s -> log.info("Braid listening on {}:{}{} with {} event loops, endpoints {}",
        opts.host(), s.actualPort, opts.tlsCertPath() != null ? " (TLS)" : "", opts.instances(), frozen.keySet()));
  }

  /** The TCP port the server listens on. */
  public int actualPort() {
    return actualPort;
  }

  /**
   * Stops the server: no new connections, close 1001 to every client, and a bounded wait for their
   * close handshakes.
   */
  public synchronized Future<Void> close() {
    if (closed == null) {
      closed = vertx.undeploy(deploymentId);
    }
    return closed;
  }
}
