package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.client.WsClient;
import io.braid.client.WsClientConnection;
import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keep-alive: after {@link #IDLE_MILLIS} of silence the server pings; a client that does not answer
 * within {@link #PONG_MILLIS} is disconnected with close 1001, one that answers stays connected.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeepAliveIT {
  private static final long IDLE_MILLIS = 200;
  private static final long PONG_MILLIS = 300;

  private BraidServer server;
  private int port;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.start(vertx, o -> o.idleTimeoutMillis(IDLE_MILLIS).pongTimeoutMillis(PONG_MILLIS));
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void idleClientThatNeverAnswersPingIsDisconnectedAfterPongTimeout() {
    try (RawClient client = RawClient.open(port, "/echo")) {
      long open = System.nanoTime();
      ServerFrame ping = client.readFrame();
      long pingMillis = (System.nanoTime() - open) / 1_000_000;
      assertThat(ping.opcode()).as("first frame from the server: %s", ping).isEqualTo(ClientFrames.PING);
      assertThat(ping.fin()).isTrue();
      assertThat(ping.masked()).isFalse();
      assertThat(pingMillis).as("ping only after the connection was idle for %d ms", IDLE_MILLIS).isGreaterThanOrEqualTo(IDLE_MILLIS - 50);

      ServerFrame close = client.readFrame();
      long closeMillis = (System.nanoTime() - open) / 1_000_000;
      assertThat(close.opcode()).as("frame after the unanswered ping: %s", close).isEqualTo(ClientFrames.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1001);
      assertThat(close.closeReason()).isEqualTo("pong timeout");
      assertThat(closeMillis - pingMillis).as("close only after the %d ms pong timeout", PONG_MILLIS).isGreaterThanOrEqualTo(PONG_MILLIS - 50);
      client.assertClosedByServer();
      assertThat((System.nanoTime() - open) / 1_000_000).as("disconnected within a bounded time").isLessThan(3_000);
    }
    EchoProbe.assertServesFreshClient(port);
  }

  @Test
  void clientThatAnswersEveryPingStaysConnected() throws Exception {
    AtomicInteger pings = new AtomicInteger();
    BlockingQueue<ServerFrame> others = new LinkedBlockingQueue<>();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try (RawClient client = RawClient.open(port, "/echo")) {
      reader.submit(() -> {
        while (true) {
          ServerFrame frame = client.readFrame();
          if (frame.opcode() == ClientFrames.PING) {
            pings.incrementAndGet();
            client.write(ClientFrames.pong(frame.payload()));
          } else {
            others.add(frame);
          }
        }
      });
      // Four pings take at least four idle periods and three pong timeouts' worth of time.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pings.get()).isGreaterThanOrEqualTo(4));
      assertThat(others).as("nothing but pings while idle (no close)").isEmpty();

      client.write(ClientFrames.text("still here"));
      ServerFrame echo = others.poll(5, TimeUnit.SECONDS);
      assertThat(echo).as("echo on the kept-alive connection").isNotNull();
      assertThat(echo.opcode()).isEqualTo(ClientFrames.TEXT);
      assertThat(echo.text()).isEqualTo("still here");
    } finally {
      reader.shutdownNow();
      assertThat(reader.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void braidClientAnswersPingsAndStaysConnectedPastSeveralIdlePeriods(Vertx vertx) throws Exception {
    WsClient client = WsClient.create(vertx);
    try {
      WsClientConnection ws = client.connect(port, "127.0.0.1", "/echo").await(10, TimeUnit.SECONDS);
      // 1.5 s is more than seven idle periods: a client that did not answer would be gone after ~0.6 s.
      await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5))
          .until(() -> !ws.closeFuture().isComplete());

      CompletableFuture<String> echo = new CompletableFuture<>();
      ws.textHandler(echo::complete);
      ws.sendText("still here");
      assertThat(echo.get(5, TimeUnit.SECONDS)).isEqualTo("still here");
      assertThat(ws.close(1000, "done").await(5, TimeUnit.SECONDS).code()).isEqualTo(1000);
    } finally {
      client.close().await(5, TimeUnit.SECONDS);
    }
  }
}
