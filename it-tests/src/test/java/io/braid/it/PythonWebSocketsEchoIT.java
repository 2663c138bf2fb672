package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
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
 * Debian's {@code python3-websockets} client (an implementation no one here wrote) against
 * {@code /echo}: each case of {@code src/test/python/echo_client.py} runs in its own Python process
 * under {@code /usr/bin/python3}. A machine without the package fails these tests: the README test
 * command installs it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PythonWebSocketsEchoIT {
  private static final String PYTHON = "/usr/bin/python3";
  private static final long PROCESS_TIMEOUT_SECONDS = 90;

  private BraidServer server;

  @BeforeAll
  static void requirePythonWebsockets() throws Exception {
    PeerProcess.Result result = run(List.of(PYTHON, "-c", "import websockets; print(websockets.__version__)"));
    assertThat(result.exitCode())
        .as("%s cannot import websockets (%s): install Debian's python3-websockets "
            + "(apt-get install -y python3-websockets), as the README test command does", PYTHON, result.output().strip())
        .isZero();
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
  @ValueSource(strings = {
      "text", "binary",
      "text-0", "binary-0",
      "text-125", "binary-125",
      "text-126", "binary-126",
      "text-65535", "binary-65535",
      "text-65536", "binary-65536",
      "text-16777216", "binary-16777216",
      "fragmented-text", "fragmented-binary",
      "ping",
      "close",
      "deflate-default-offer", "deflate-server-window-9", "deflate-server-window-12-no-context",
      "deflate-client-window-10"})
  void pythonWebsocketsClientPassesEchoCase(String echoCase) throws Exception {
    String uri = "ws://127.0.0.1:" + server.actualPort() + "/echo";
    PeerProcess.Result result = run(List.of(PYTHON, "-u", script().toString(), uri, echoCase));
    assertThat(result.exitCode()).as("exit code of echo_client.py; its output:%n%s", result.output()).isZero();
    assertThat(result.output()).contains("OK " + echoCase + "\n").endsWith("ALL OK\n");
  }

  private static Path script() {
    String dir = System.getProperty("braid.it.pythonDir", "src/test/python");
    Path script = Path.of(dir, "echo_client.py");
    assertThat(script).as("the Python echo client").isRegularFile();
    return script;
  }

  private static PeerProcess.Result run(List<String> command) throws IOException, InterruptedException {
    return PeerProcess.run(command, null, PROCESS_TIMEOUT_SECONDS, "install python3 and python3-websockets");
  }
}
