package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.ws.CloseCodes;
import io.braid.server.BrokerRuntime;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What operators use: the admin port's health, readiness, Prometheus metrics and session API, the {@code $SYS}
 * topics, and a graceful shutdown as clients see it.
 */
class BrokerOperationsIT {

  private static final String TOKEN = "operator-token";
  // HTTP/1.1, as ChildBroker: the JDK's default asks for an h2c upgrade, which the admin port does not answer as the
  // JDK expects
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private BrokerRuntime broker;

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
  }

  private BrokerTestClient client(String clientId) {
    return BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder(clientId).cleanStart(true).keepAlive(60).build());
  }

  private HttpResponse<String> send(String method, String path, String... headers) throws IOException,
      InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.adminPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void reportsHealthReadinessAndPrometheusMetrics() {
    broker = TestBrokers.start();
    try (BrokerTestClient client = client("measured")) {
      assertThat(TestBrokers.get(broker, "/health").statusCode()).isEqualTo(200);
      assertThat(TestBrokers.get(broker, "/ready").statusCode()).isEqualTo(200);

      HttpResponse<String> metrics = TestBrokers.get(broker, "/metrics");

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
      assertThat(metrics.body()).contains("braid_connections 1.0", "braid_sessions 1.0",
          "braid_messages_received_total{qos=\"0\"}", "braid_store_commit_seconds_count", "braid_store_force_seconds_count",
          "vertx_net_server_active_connections", "jvm_memory_used_bytes");
    }
  }

  @Test
  void theSessionApiIsOffWithoutAToken() throws Exception {
    broker = TestBrokers.start();

    HttpResponse<String> response = send("GET", "/api/sessions");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("admin.apiToken");
  }

  @Test
  void theSessionApiListsDisconnectsAndEndsSessionsForTheTokenOnly() throws Exception {
    broker = TestBrokers.start("admin.apiToken", TOKEN);
    try (BrokerTestClient keeper = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder("keeper").keepAlive(60).sessionExpiryInterval(600).build())) {
      keeper.send(1, false, Subscribe.of("t", 1));
      keeper.nextMessageOn(1);

      assertThat(send("GET", "/api/sessions").statusCode()).isEqualTo(401);
      assertThat(send("GET", "/api/sessions", "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
      HttpResponse<String> list = send("GET", "/api/sessions", "Authorization", "Bearer " + TOKEN);
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(list.body()).getJsonArray("sessions").getJsonObject(0)).isEqualTo(new JsonObject()
          .put("clientId", "keeper").put("connected", true).put("persistent", true).put("queuedMessages", 0)
          .put("subscriptions", 1));

      HttpResponse<String> disconnected = send("POST", "/api/sessions/keeper/disconnect",
          "Authorization", "Bearer " + TOKEN);

      assertThat(disconnected.statusCode()).isEqualTo(200);
      List<BraidMessage> last = keeper.expectClose(CloseCodes.NORMAL);
      assertThat(last).last().isEqualTo(Disconnect.of(ReasonCode.ADMINISTRATIVE_ACTION,
          "disconnected by an administrator"));
    }
    assertThat(broker.broker().hasSession("keeper")).as("a disconnect keeps the session").isTrue();
    assertThat(send("DELETE", "/api/sessions/keeper", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    assertThat(broker.broker().hasSession("keeper")).isFalse();
    assertThat(send("DELETE", "/api/sessions/keeper", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(404);
  }

  @Test
  void publishesStatisticsAsRetainedSysTopics() {
    broker = TestBrokers.start("sys.intervalSeconds", "1");
    try (BrokerTestClient watcher = client("watcher")) {
      watcher.send(1, false, Subscribe.of("$SYS/broker/clients/connected", 0));
      assertThat(watcher.nextMessageOn(1)).isInstanceOf(SubAck.class);

      // the retained value (from before this client) first, then the update that counts it
      Publish update;
      do {
        update = (Publish) watcher.nextMessageOn(1);
      } while (!update.payload().toString().equals("1"));
      assertThat(update.topic()).isEqualTo("$SYS/broker/clients/connected");
    }
  }

  @Test
  void aGracefulShutdownSendsGoAwayThenDisconnectAndCloses1001() throws Exception {
    broker = TestBrokers.start();
    try (BrokerTestClient client = client("leaving")) {
      client.send(1, false, Subscribe.of("t", 0));
      client.nextMessageOn(1);

      var stopping = broker.stop();

      StreamFrame goAway = client.nextSignificantFrame();
      assertThat(goAway).isInstanceOf(StreamFrame.GoAway.class);
      assertThat(((StreamFrame.GoAway) goAway).errorCode()).isEqualTo(ErrorCode.NO_ERROR);
      assertThat(((StreamFrame.GoAway) goAway).lastStreamId()).isEqualTo(1);
      List<BraidMessage> last = client.expectClose(CloseCodes.GOING_AWAY);
      assertThat(last).containsExactly(Disconnect.of(ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down"));
      stopping.await(20, TimeUnit.SECONDS);
    }
  }
}
