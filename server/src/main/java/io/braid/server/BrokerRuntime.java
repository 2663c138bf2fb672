package io.braid.server;

import io.braid.cluster.ClusterOptions;
import io.braid.cluster.ClusterRouter;
import io.braid.cluster.ClusterSetup;
import io.braid.protocol.ws.deflate.DeflateConfig;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.BrokerOptions;
import io.braid.pubsub.broker.BrokerScheduler;
import io.braid.pubsub.broker.QueueOverflowPolicy;
import io.braid.pubsub.history.HistoryRule;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.store.MVStoreBrokerStore;
import io.braid.pubsub.store.SyncPolicy;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.server.admin.AdminServer;
import io.braid.server.auth.AccessPolicy;
import io.braid.server.auth.Authenticator;
import io.braid.server.braid.BraidEndpoint;
import io.braid.server.config.BrokerConfig;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.limits.ConnectionGate;
import io.braid.server.metrics.BrokerMetrics;
import io.braid.server.mqtt.MqttListeners;
import io.braid.server.mqtt.MqttWebSocketEndpoint;
import io.braid.server.websocket.BraidServer;
import io.braid.server.websocket.BraidServerOptions;
import io.braid.server.websocket.WsEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running broker: the pub/sub core on its store, the WebSocket listener (and the TLS one), the MQTT listeners, the
 * admin HTTP port and the {@code $SYS} publisher, all from one {@link BrokerConfig}; with {@code cluster.enabled},
 * a node of a cluster whose publishes are forwarded to the nodes that want them ({@link ClusterRouter}).
 *
 * <pre>{@code
 * BrokerRuntime broker = BrokerRuntime.start(ConfigLoader.load(null, System.getenv(), Map.of()));
 * ...
 * broker.stop();   // graceful: GOAWAY and DISCONNECT 0x8B to every client, then the store is flushed and closed
 * }</pre>
 *
 * <p>{@link #start} blocks while the store recovers (start-up), then returns with every listener up. Thread safe.
 */
public final class BrokerRuntime {

  private static final Logger log = LoggerFactory.getLogger(BrokerRuntime.class);

  private final BrokerConfig config;
  private final Vertx vertx;
  private final BrokerStore store;
  private final Broker broker;
  private final ClusterRouter cluster;
  private final BrokerMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final List<BraidServer> listeners = new ArrayList<>();
  private MqttListeners mqtt;
  private AdminServer admin;
  private long periodicTimer = -1;
  private Future<Void> stopped;

  private BrokerRuntime(BrokerConfig config, Vertx vertx, BrokerStore store, Broker broker, ClusterRouter cluster,
      BrokerMetrics metrics, PrometheusMeterRegistry registry) {
    this.config = config;
    this.vertx = vertx;
    this.store = store;
    this.broker = broker;
    this.cluster = cluster;
    this.metrics = metrics;
    this.registry = registry;
  }

  /**
   * Starts a broker. Blocking: opens and recovers the store, reads the auth and ACL files, binds the ports.
   *
   * @throws IllegalArgumentException for a configuration file that cannot be used (users, ACL, keys), with the reason
   * @throws StoreException if the store cannot be opened
   * @throws IllegalStateException if a port cannot be bound
   */
  public static BrokerRuntime start(BrokerConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int instances = config.server().instances() == 0 ? Runtime.getRuntime().availableProcessors()
        : config.server().instances();
    ClusterOptions clusterOptions = config.cluster().enabled() ? clusterOptions(config.cluster()) : null;
    HazelcastClusterManager manager = clusterOptions == null ? null : ClusterSetup.clusterManager(clusterOptions);
    Vertx vertx = vertx(config.server(), registry, instances, clusterOptions, manager);
    logTransport(vertx, config.server().nativeTransport());
    ClusterRouter cluster = manager == null ? null
        : new ClusterRouter(vertx, manager.getHazelcastInstance(), clusterOptions);
    BrokerStore store = null;
    try {
      store = openStore(config.store());
      if (cluster != null) {
        store = cluster.replicating(store);
      }
      BrokerRuntime runtime = new BrokerRuntime(config, vertx, store, broker(config, store, vertx, cluster), cluster,
          new BrokerMetrics(registry), registry);
      runtime.metrics.bind(runtime.broker, store);
      if (cluster != null) {
        await(cluster.attach(runtime.broker));
        runtime.metrics.bindCluster(cluster);
      }
      runtime.listen(instances);
      return runtime;
    } catch (RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      if (store != null) {
        store.close();
      }
      vertx.close();
      throw e;
    }
  }

  /** A Vert.x with {@code instances} event loops and metrics, clustered on {@code manager} unless it is null. */
  private static Vertx vertx(BrokerConfig.Server server, PrometheusMeterRegistry registry, int instances,
      ClusterOptions clusterOptions, HazelcastClusterManager manager) {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(instances)
        .setPreferNativeTransport(server.nativeTransport())
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
    if (manager == null) {
      return builder.with(options).build();
    }
    return await(builder.with(options.setEventBusOptions(ClusterSetup.eventBusOptions(clusterOptions)))
        .withClusterManager(manager).buildClustered());
  }

  private static Broker broker(BrokerConfig config, BrokerStore store, Vertx vertx, ClusterRouter cluster) {
    Broker.Builder broker = Broker.builder()
        .options(brokerOptions(config.sessions()))
        .store(store)
        .scheduler(vertxScheduler(vertx))
        .histories(historyRules(config.history()))
        .presence(config.presence().filters().stream().map(TopicFilter::parse).toList());
    if (cluster != null) {
      broker.router(cluster).sessionSource(cluster.sessionSource());
    }
    return broker.build();
  }

  private static void logTransport(Vertx vertx, boolean nativeWanted) {
    if (vertx.isNativeTransportEnabled()) {
      log.info("Sockets on the native transport (epoll)");
    } else if (nativeWanted) {
      log.warn("Sockets on Java NIO: the native transport did not load ({})",
          String.valueOf(vertx.unavailableNativeTransportCause()));
    }
  }

  private static ClusterOptions clusterOptions(BrokerConfig.Cluster cluster) {
    return new ClusterOptions(cluster.name(), cluster.host(), cluster.port(), cluster.members(),
        cluster.transport(), cluster.publicAddress(), cluster.sessionMoveWaitMillis());
  }

  private void listen(int instances) {
    BrokerFrontEnd frontEnd = new BrokerFrontEnd(vertx, broker, config, Authenticator.create(vertx, config.auth()),
        config.acl().file().isEmpty() ? AccessPolicy.allowAll() : AccessPolicy.load(Path.of(config.acl().file())),
        metrics);
    BrokerConfig.Limits limits = config.limits();
    ConnectionGate gate = new ConnectionGate(limits.maxConnections(), limits.connectionRatePerIp(),
        limits.connectionBurstPerIp());
    BrokerConnectionHooks hooks = new BrokerConnectionHooks(gate, metrics);
    List<WsEndpoint> endpoints = new ArrayList<>(List.of(new BraidEndpoint(config.server().path(), frontEnd)));
    BrokerConfig.Mqtt mqttConfig = config.mqtt();
    if (mqttConfig.enabled() && !mqttConfig.webSocketPath().isEmpty()) {
      endpoints.add(new MqttWebSocketEndpoint(mqttConfig.webSocketPath(), frontEnd));
    }
    try {
      startListeners(frontEnd, endpoints, hooks, instances);
    } catch (RuntimeException e) {
      stop().toCompletionStage().toCompletableFuture().join();
      throw e;
    }
    startPeriodicWork(gate);
    ready.set(true);
    logReady();
  }

  private void startListeners(BrokerFrontEnd frontEnd, List<WsEndpoint> endpoints, BrokerConnectionHooks hooks,
      int instances) {
    BrokerConfig.Server server = config.server();
    BrokerConfig.Tls tls = server.tls();
    if (!tlsOnly()) {
      listeners.add(await(BraidServer.start(vertx, serverOptions(server.port(), instances), endpoints, hooks)));
    }
    if (tls.enabled()) {
      listeners.add(await(BraidServer.start(vertx, serverOptions(tls.port(), instances)
          .tls(tls.certFile(), tls.keyFile()), endpoints, hooks)));
    }
    mqtt = await(MqttListeners.start(vertx, frontEnd, config, hooks, instances));
    BrokerConfig.Admin adminConfig = config.admin();
    if (adminConfig.enabled()) {
      admin = await(AdminServer.start(vertx, adminConfig.host(), adminConfig.port(), adminConfig.apiToken(), broker,
          store, registry, ready::get));
    }
  }

  /** The connection-rate sweep, and the $SYS topics when they are on. */
  private void startPeriodicWork(ConnectionGate gate) {
    SysTopics sys = new SysTopics(broker, registry);
    int interval = config.sys().intervalSeconds();
    periodicTimer = vertx.setPeriodic(interval > 0 ? interval * 1000L : 5_000L, id -> {
      gate.sweep(System.nanoTime());
      if (interval > 0) {
        sys.publish();
      }
    });
    if (interval > 0) {
      sys.publish();
    }
  }

  private void logReady() {
    BrokerConfig.Auth auth = config.auth();
    BrokerConfig.Store storeConfig = config.store();
    log.info("broker ready: ws port {}{}, mqtt {}, admin {}, store {} ({}), auth anonymous={} users={} jwt={}, acl {}",
        tlsOnly() ? "-" : listeners.get(0).actualPort(),
        config.server().tls().enabled() ? ", wss port " + tlsPort() : "",
        mqttPort() < 0 ? "off" : mqttPort() + (mqttTlsPort() > 0 ? " (tls " + mqttTlsPort() + ")" : ""),
        admin == null ? "off" : admin.port(), storeConfig.type(),
        storeConfig.type().equals("mvstore") ? Path.of(storeConfig.dataDir()).toAbsolutePath() : "in memory",
        auth.anonymous(), !auth.usersFile().isEmpty(),
        !auth.jwt().hs256Secret().isEmpty() || !auth.jwt().rs256PublicKeyFile().isEmpty(),
        config.acl().file().isEmpty() ? "off" : config.acl().file());
  }

  private BraidServerOptions serverOptions(int port, int instances) {
    BrokerConfig.Server server = config.server();
    BrokerConfig.Limits limits = config.limits();
    return new BraidServerOptions()
        .staticFiles(WebRoot.load(server.webRoot()))
        .host(server.host())
        .port(port)
        .instances(instances)
        .echoEnabled(server.echo())
        .permessageDeflate(server.permessageDeflate()
            ? new DeflateConfig(server.permessageDeflateLevel(), server.permessageDeflateMinBytes(),
                server.permessageDeflateContextTakeover())
            : null)
        .maxHandshakeSize(limits.maxHandshakeBytes())
        .handshakeTimeoutMillis(limits.handshakeTimeoutMillis())
        .maxFramePayload(limits.maxFramePayload())
        .maxMessageSize(limits.maxMessageBytes())
        .idleTimeoutMillis(limits.idleTimeoutMillis())
        .shutdownTimeoutMillis(server.shutdownTimeoutMillis())
        .allowedOrigins(server.allowedOrigins());
  }

  private static BrokerStore openStore(BrokerConfig.Store config) {
    if (config.type().equals("memory")) {
      return new InMemoryStore();
    }
    SyncPolicy policy = SyncPolicy.valueOf(config.syncPolicy().toUpperCase(Locale.ROOT));
    return MVStoreBrokerStore.open(Path.of(config.dataDir()), policy);
  }

  private static BrokerOptions brokerOptions(BrokerConfig.Sessions sessions) {
    QueueOverflowPolicy overflow = QueueOverflowPolicy.valueOf(
        sessions.queueOverflow().toUpperCase(Locale.ROOT).replace('-', '_'));
    return new BrokerOptions(sessions.maxQueuedMessages(), overflow, sessions.queueQos0WhenOffline(),
        sessions.maxSessionExpirySeconds(), sessions.maxInflight());
  }

  private static List<HistoryRule> historyRules(BrokerConfig.History history) {
    return history.filters().stream()
        .map(filter -> new HistoryRule(TopicFilter.parse(filter), history.maxMessages(), history.maxAgeSeconds()))
        .toList();
  }

  private static BrokerScheduler vertxScheduler(Vertx vertx) {
    return (delayMillis, task) -> {
      long id = vertx.setTimer(Math.max(1, delayMillis), timer -> task.run());
      return () -> vertx.cancelTimer(id);
    };
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------------------------------ stop

  /**
   * Stops gracefully: not ready any more, every client gets GOAWAY and, once its publishes in progress are
   * acknowledged, DISCONNECT 0x8B and close 1001 (within {@code server.shutdownTimeoutMillis}); then the store is
   * flushed and closed and the admin port shut. Idempotent.
   */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    ready.set(false);
    if (periodicTimer >= 0) {
      vertx.cancelTimer(periodicTimer);
    }
    log.info("broker stopping: closing {} listener(s)", listeners.size());
    List<Future<Void>> closing = new ArrayList<>();
    for (BraidServer listener : listeners) {
      closing.add(listener.close());
    }
    if (mqtt != null) {
      closing.add(mqtt.close());
    }
    Promise<Void> done = Promise.promise();
    Future.join(closing).onComplete(closed -> vertx.<Void>executeBlocking(() -> {
      if (cluster != null) {
        cluster.close(); // no more messages from other nodes into a store about to close; the node leaves with Vert.x
      }
      broker.close(); // flushes and closes the store: everything acknowledged is on disk
      return null;
    }).onComplete(storeClosed -> {
      if (storeClosed.failed()) {
        log.error("closing the store failed", storeClosed.cause());
      }
      Future<Void> adminClosed = admin == null ? Future.succeededFuture() : admin.close();
      adminClosed.onComplete(ignored -> vertx.close().onComplete(vertxClosed -> {
        log.info("broker stopped");
        done.complete();
      }));
    }));
    stopped = done.future();
    return stopped;
  }

  // ------------------------------------------------------------------------------------- accessors

  /** The port of the plain WebSocket listener, or -1 if only TLS is served. */
  public int port() {
    return tlsOnly() ? -1 : listeners.get(0).actualPort();
  }

  /** TLS on the main port: {@code server.tls.port} equal to {@code server.port} (and not 0, "any free port"). */
  private boolean tlsOnly() {
    BrokerConfig.Tls tls = config.server().tls();
    return tls.enabled() && tls.port() == config.server().port() && tls.port() != 0;
  }

  /** The port of the TLS listener, or -1 if TLS is off. */
  public int tlsPort() {
    return config.server().tls().enabled() ? listeners.get(listeners.size() - 1).actualPort() : -1;
  }

  /** The MQTT-over-TCP port, or -1 if MQTT is off. */
  public int mqttPort() {
    return mqtt == null ? -1 : mqtt.port();
  }

  /** The MQTT-over-TLS port, or -1 if it is off. */
  public int mqttTlsPort() {
    return mqtt == null ? -1 : mqtt.tlsPort();
  }

  /** The admin HTTP port, or -1 if it is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  public BrokerConfig config() {
    return config;
  }

  public Broker broker() {
    return broker;
  }

  /** The cluster transport, or null if this node is not clustered. */
  public ClusterRouter cluster() {
    return cluster;
  }

  public BrokerMetrics metrics() {
    return metrics;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Whether the broker is serving (started and not stopping). */
  public boolean isReady() {
    return ready.get();
  }
}
