package io.braid.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.client.WsClient;
import io.braid.client.WsClientConnection;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class SharedPortTest {

  @Test
  void spreadsConnectionsOnARandomPortOverEveryEventLoop(Vertx vertx) throws Exception {
    Set<String> loops = ConcurrentHashMap.newKeySet();
    ConnectionHooks recordLoop = new ConnectionHooks() {
      @Override
      public void opened(boolean compressed) {
        loops.add(Thread.currentThread().getName());
      }
    };
    BraidServer server = BraidServer.start(vertx,
        new BraidServerOptions().port(0).host("127.0.0.1").instances(2).echoEnabled(true), List.of(),
        recordLoop).await(10, TimeUnit.SECONDS);
    List<WsClientConnection> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(WsClient.create(vertx).connect(server.actualPort(), "127.0.0.1", "/echo")
          .await(10, TimeUnit.SECONDS));
    }
    assertThat(loops).as("event loops that accepted the four connections").hasSize(2);
    clients.forEach(client -> client.close(1000, "done"));
    server.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void givesTwoListenersOnPortZeroPortsOfTheirOwn(Vertx vertx) throws Exception {
    BraidServerOptions options = new BraidServerOptions().port(0).host("127.0.0.1").instances(2).echoEnabled(true);
    BraidServer first = BraidServer.start(vertx, options).await(10, TimeUnit.SECONDS);
    BraidServer second = BraidServer.start(vertx, options).await(10, TimeUnit.SECONDS);
    assertThat(first.actualPort()).isPositive().isNotEqualTo(second.actualPort());
    first.close().await(10, TimeUnit.SECONDS);
    second.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void keepsAFixedPort() {
    assertThat(SharedPort.forListener(8080)).isEqualTo(8080);
    assertThat(SharedPort.forListener(0)).isNegative().isNotEqualTo(SharedPort.forListener(0));
  }
}
