package io.braid.it;

import io.braid.server.websocket.BraidServer;
import io.braid.server.websocket.BraidServerOptions;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Starts and stops Braid servers for tests: loopback only, a free port, {@code /echo} enabled. */
final class TestServers {
  static final String HOST = "127.0.0.1";

  private TestServers() {}

  /** An echo server with the defaults, except a short shutdown wait for clients that never answer. */
  static BraidServer startEcho(Vertx vertx) throws Exception {
    return start(vertx, options -> options);
  }

  /** An echo server with the defaults changed by {@code customize}. */
  static BraidServer start(Vertx vertx, UnaryOperator<BraidServerOptions> customize) throws Exception {
    BraidServerOptions options = new BraidServerOptions()
        .host(HOST)
        .port(0)
        .echoEnabled(true)
        .shutdownTimeoutMillis(2_000);
    return BraidServer.start(vertx, customize.apply(options)).await(10, TimeUnit.SECONDS);
  }

  static void stop(BraidServer server) throws Exception {
    if (server != null) {
      server.close().await(15, TimeUnit.SECONDS);
    }
  }
}
