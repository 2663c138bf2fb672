package io.braid.server.admin;

import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.SessionInfo;
import io.braid.pubsub.store.BrokerStore;
import io.braid.server.auth.BearerToken;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP port (Vert.x {@link HttpServer}, not the broker's own WebSocket stack):
 * <ul>
 *   <li>{@code GET /health}: 200 while the process runs;</li>
 *   <li>{@code GET /ready}: 200 while the listeners are up and the store works, 503 with the reason otherwise;</li>
 *   <li>{@code GET /metrics}: every meter in the Prometheus text format;</li>
 *   <li>{@code GET /api/sessions}: the sessions as JSON;</li>
 *   <li>{@code POST /api/sessions/{clientId}/disconnect}: closes the client's connection (its session stays);</li>
 *   <li>{@code DELETE /api/sessions/{clientId}}: ends the session.</li>
 * </ul>
 * The {@code /api} endpoints need {@code Authorization: Bearer <admin.apiToken>} (401 without, 403 when wrong) and
 * are off (404) while no token is configured.
 */
public final class AdminServer {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts the admin server.
   *
   * @param ready whether the broker is ready to serve (listeners up, not shutting down)
   */
  public static Future<AdminServer> start(Vertx vertx, String host, int port, String apiToken, Broker broker,
      BrokerStore store, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(ctx -> {
      if (store.stats().failed()) {
        json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "the store has failed"));
      } else if (!ready.getAsBoolean()) {
        json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "not listening (starting or stopping)"));
      } else {
        json(ctx, 200, new JsonObject().put("status", "UP"));
      }
    });
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
    router.route("/api/*").handler(ctx -> authorize(ctx, apiToken));
    router.get("/api/sessions").handler(ctx -> {
      JsonArray sessions = new JsonArray();
      for (SessionInfo info : broker.sessions()) {
        sessions.add(new JsonObject().put("clientId", info.clientId()).put("connected", info.connected())
            .put("persistent", info.persistent()).put("queuedMessages", info.queuedMessages())
            .put("subscriptions", info.subscriptions()));
      }
      json(ctx, 200, new JsonObject().put("sessions", sessions));
    });
    router.post("/api/sessions/:clientId/disconnect").handler(ctx -> {
      String clientId = ctx.pathParam("clientId");
      if (!broker.isConnected(clientId)) {
        json(ctx, 404, new JsonObject().put("error", "no connected client " + clientId));
        return;
      }
      broker.disconnect(clientId);
      log.info("admin API: disconnected client_id={} remote={}", clientId, ctx.request().remoteAddress());
      json(ctx, 200, new JsonObject().put("disconnected", clientId));
    });
    router.delete("/api/sessions/:clientId").handler(ctx -> {
      String clientId = ctx.pathParam("clientId");
      // answered once the session has ended, so that what the API says is already true
      Future.fromCompletionStage(broker.endSession(clientId), ctx.vertx().getOrCreateContext()).onSuccess(ended -> {
        if (!ended) {
          json(ctx, 404, new JsonObject().put("error", "no session " + clientId));
          return;
        }
        log.info("admin API: ended the session of client_id={} remote={}", clientId, ctx.request().remoteAddress());
        json(ctx, 200, new JsonObject().put("ended", clientId));
      });
    });
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(router)
        .listen()
        .map(AdminServer::new);
  }

  private static void authorize(RoutingContext ctx, String apiToken) {
    if (apiToken.isEmpty()) {
      json(ctx, 404, new JsonObject().put("error", "the admin API is off: set admin.apiToken"));
      return;
    }
    String token = BearerToken.of(ctx.request().getHeader("Authorization"));
    if (token == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      json(ctx, 401, new JsonObject().put("error", "send Authorization: Bearer <admin.apiToken>"));
      return;
    }
    if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), apiToken.getBytes(StandardCharsets.UTF_8))) {
      log.warn("admin API: wrong token from {}", ctx.request().remoteAddress());
      json(ctx, 403, new JsonObject().put("error", "wrong token"));
      return;
    }
    ctx.next();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
