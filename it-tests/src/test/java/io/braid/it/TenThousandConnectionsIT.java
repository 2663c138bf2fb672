package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One server (two event loops) holds 10,000 idle WebSocket connections at once and serves every one
 * of them: each gets its 101, a fresh client is still served while they are all open, a sample
 * echoes a message, and each answers the close handshake.
 *
 * <p>The 10,000 clients run in a child JVM ({@link IdleConnectionsClient}), so each process holds
 * about 10,000 sockets: within the usual 20,000 open-file limit, with no {@code ulimit} needed. The
 * connections come from several loopback source addresses to spread ephemeral ports.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class TenThousandConnectionsIT {
  private static final int CONNECTIONS = 10_000;
  private static final int HANDSHAKES_IN_FLIGHT = 500;
  private static final int SAMPLE_EVERY = 100;
  /** 127.0.0.0/8 is all loopback on Linux. */
  private static final String SOURCE_ADDRESSES = "127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4";
  private static final long ANSWER_SECONDS = 70;

  private BraidServer server;
  private Process clients;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Queue<String> output = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    long limit = IdleConnectionsClient.openFileLimit();
    assertThat(limit)
        .as("open-file limit of the test JVM is %d, too low for %d server sockets: "
            + "raise the open-file limit: ulimit -n 65536", limit, CONNECTIONS)
        .isGreaterThanOrEqualTo(CONNECTIONS + 1_000L);
    server = TestServers.start(vertx, o -> o.instances(2));
  }

  @AfterEach
  void stop() throws Exception {
    if (clients != null && clients.isAlive()) {
      clients.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    TestServers.stop(server);
  }

  @Test
  void tenThousandIdleConnectionsAreAllServed() throws Exception {
    clients = startClients(server.actualPort());
    Writer commands = new OutputStreamWriter(clients.getOutputStream(), StandardCharsets.UTF_8);

    assertThat(nextAnswer()).isEqualTo("OPEN upgraded=" + CONNECTIONS + " failures=0");
    // With all of them open, the server still serves a newcomer.
    EchoProbe.assertServesFreshClient(server.actualPort());

    send(commands, "ECHO");
    int sample = CONNECTIONS / SAMPLE_EVERY;
    assertThat(nextAnswer()).isEqualTo("ECHOED matched=" + sample + " of=" + sample);

    send(commands, "CLOSE");
    assertThat(nextAnswer()).isEqualTo("CLOSED answered=" + CONNECTIONS + " of=" + CONNECTIONS);
    assertThat(clients.waitFor(30, TimeUnit.SECONDS)).as("client JVM exits").isTrue();
    assertThat(clients.exitValue()).as("client JVM exit code; its output:%n%s", String.join("\n", output)).isZero();
  }

  private Process startClients(int port) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(),
        "-Xmx1g", "-XX:+MaxFDLimit",
        "-cp", System.getProperty("java.class.path"),
        IdleConnectionsClient.class.getName(),
        TestServers.HOST, String.valueOf(port), String.valueOf(CONNECTIONS), String.valueOf(HANDSHAKES_IN_FLIGHT),
        String.valueOf(SAMPLE_EVERY), SOURCE_ADDRESSES))
        .redirectErrorStream(true);
    Process process = builder.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.add(line);
          if (line.startsWith(IdleConnectionsClient.PREFIX)) {
            answers.add(line.substring(IdleConnectionsClient.PREFIX.length()));
          }
        }
      } catch (IOException e) {
        output.add("(reading the client JVM's output failed: " + e + ")");
      }
    }, "idle-clients-output");
    reader.setDaemon(true);
    reader.start();
    return process;
  }

  private String nextAnswer() throws InterruptedException {
    String answer = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
    assertThat(answer).as("answer of the client JVM within %d s; its output:%n%s", ANSWER_SECONDS, String.join("\n", output))
        .isNotNull();
    return answer;
  }

  private static void send(Writer commands, String command) throws IOException {
    commands.write(command + "\n");
    commands.flush();
  }
}
