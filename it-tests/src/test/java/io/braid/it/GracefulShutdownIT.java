package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Closing the server sends close 1001 to every open connection and waits a bounded time for the
 * close handshakes; then the port is closed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GracefulShutdownIT {
  private BraidServer server;
  private int port;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.startEcho(vertx);
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void shutdownSendsGoingAwayAndClosesTcpOnceClientAnswers() throws Exception {
    try (RawClient first = RawClient.open(port, "/echo"); RawClient second = RawClient.open(port, "/echo")) {
      Future<Void> closing = server.close();
      for (RawClient client : new RawClient[] {first, second}) {
        ServerFrame close = client.readFrame();
        assertThat(close.opcode()).as("frame on shutdown: %s", close).isEqualTo(ClientFrames.CLOSE);
        assertThat(close.masked()).isFalse();
        assertThat(close.closeCode()).isEqualTo(1001);
        assertThat(close.closeReason()).isEqualTo("server shutting down");
        client.write(ClientFrames.close(1001, ""));
        client.assertClosedByServer();
      }
      closing.await(10, TimeUnit.SECONDS);
    }
    assertRefusesConnections();
  }

  @Test
  void shutdownClosesTcpOfClientThatNeverAnswersWithinBoundedTime() throws Exception {
    try (RawClient silent = RawClient.open(port, "/echo")) {
      long start = System.nanoTime();
      Future<Void> closing = server.close();
      ServerFrame close = silent.readFrame();
      assertThat(close.closeCode()).isEqualTo(1001);
      silent.assertClosedByServer();
      closing.await(10, TimeUnit.SECONDS);
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      // TestServers sets shutdownTimeoutMillis to 2 s; the close timeout is 5 s.
      assertThat(elapsedMillis).as("shutdown waits a bounded time for a silent client").isLessThan(6_000);
    }
    assertRefusesConnections();
  }

  private void assertRefusesConnections() {
    Assertions.assertThatThrownBy(() -> RawClient.connect(port).close())
        .as("the port is closed once the server is")
        .hasRootCauseInstanceOf(ConnectException.class);
  }
}
