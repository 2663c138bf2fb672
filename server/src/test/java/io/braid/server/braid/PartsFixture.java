package io.braid.server.braid;

import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.BrokerOptions;
import io.braid.pubsub.broker.ClientLink;
import io.braid.pubsub.broker.ConnectRequest;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.server.auth.AccessPolicy;
import io.braid.server.auth.Authenticator;
import io.braid.server.auth.Principal;
import io.braid.server.config.BrokerConfig;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.metrics.BrokerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker core and front end for the parts of a Braid connection, with no socket: sessions attach directly (no
 * authentication), run their tasks on the calling thread, and the store is in memory unless a test brings its own.
 */
final class PartsFixture implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final BrokerMetrics metrics = new BrokerMetrics(new SimpleMeterRegistry());
  final BrokerConfig config;
  final Broker broker;
  final BrokerFrontEnd frontEnd;

  PartsFixture() {
    this(BrokerConfig.defaults(), new InMemoryStore());
  }

  PartsFixture(BrokerConfig config, BrokerStore store) {
    this.config = config;
    // offline work on the calling thread too: with the default pool a session's first tasks (attach, start) could
    // still be draining on a pool thread while the test goes on, and run after its assertions
    this.broker = Broker.builder().options(BrokerOptions.DEFAULTS).store(store).offlineExecutor(Runnable::run)
        .build();
    AccessPolicy acl = config.acl().file().isEmpty() ? AccessPolicy.allowAll()
        : AccessPolicy.load(Path.of(config.acl().file()));
    this.frontEnd = new BrokerFrontEnd(vertx, broker, config, Authenticator.create(vertx, config.auth()), acl,
        metrics);
  }

  /** A client with its session attached to {@code link}, anonymous, allowed everything but {@code $} topics. */
  ConnectedClient connect(String clientId, boolean persistent, ClientLink link) {
    ConnectRequest request = persistent ? ConnectRequest.persistent(clientId, 3_600) : ConnectRequest.clean(clientId);
    SessionHandle session;
    try {
      session = broker.connect(request, link, Runnable::run).get(5, TimeUnit.SECONDS).handle();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    session.start();
    Principal principal = Principal.anonymous();
    return new ConnectedClient(clientId, principal, AccessPolicy.allowAll().forClient(principal, clientId), session,
        60, "test");
  }

  @Override
  public void close() throws Exception {
    broker.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A {@link ConnectionControl} that records what the part asked of the connection. */
  static final class Control implements ConnectionControl {
    final List<String> disconnects = new ArrayList<>();
    int answered;

    @Override
    public void disconnect(int reasonCode, String reason, int closeCode) {
      disconnects.add("0x" + Integer.toHexString(reasonCode) + " " + closeCode + " " + reason);
    }

    @Override
    public String reasonString(String reason) {
      return reason;
    }

    @Override
    public void answered() {
      answered++;
    }
  }
}
