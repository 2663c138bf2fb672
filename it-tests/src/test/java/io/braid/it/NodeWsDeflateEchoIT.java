package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * npm's {@code ws} client with {@code perMessageDeflate} (zlib through Node.js, written by no one
 * here) against {@code /echo}: each case of {@code src/test/node/deflate_echo.mjs} in its own
 * process. The README test command installs {@code ws} with {@code npm ci}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeWsDeflateEchoIT {
  private static final Path NODE_DIR = Path.of("src/test/node");
  private static final long PROCESS_TIMEOUT_SECONDS = 90;

  private BraidServer server;

  @BeforeAll
  static void requireWs() {
    assertThat(NODE_DIR.resolve("node_modules/ws/package.json"))
        .as("npm's ws: run 'npm ci --prefix it-tests/src/test/node' (the README test command does)")
        .isRegularFile();
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.startEcho(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "no-context-takeover", "server-window-10", "client-window-9"})
  void wsClientWithCompressionPassesEchoCase(String echoCase) throws Exception {
    String uri = "ws://" + TestServers.HOST + ":" + server.actualPort() + "/echo";
    PeerProcess.Result result = PeerProcess.run(List.of("node", "deflate_echo.mjs", uri, echoCase), NODE_DIR,
        PROCESS_TIMEOUT_SECONDS, "install Node.js 20");
    assertThat(result.exitCode()).as("exit code of deflate_echo.mjs; its output:%n%s", result.output()).isZero();
    assertThat(result.output()).contains("OK " + echoCase);
  }
}
