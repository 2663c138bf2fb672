package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code braid-server}'s main class in a child JVM on the test class path: for tests that kill it ({@code kill -9})
 * or look into its heap ({@code jcmd}), which an in-process broker cannot give them.
 */
final class ChildBroker implements AutoCloseable {

  private static final Pattern READY = Pattern.compile(
      "broker at ws://localhost:(\\d+)/braid(?:.*admin at http://[^:]+:(\\d+))?");

  // HTTP/1.1: the JDK's default asks for an h2c upgrade, which the admin port does not answer as the JDK expects
  private static final HttpClient METRICS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private final ChildJvm jvm;
  private final int port;
  private final int adminPort;

  private ChildBroker(ChildJvm jvm) {
    this.jvm = jvm;
    this.port = Integer.parseInt(jvm.ready().group(1));
    this.adminPort = jvm.ready().group(2) == null ? -1 : Integer.parseInt(jvm.ready().group(2));
  }

  /**
   * Starts the broker with {@code args} after the test defaults (loopback, free ports unless {@code args} name a
   * {@code --port}, no $SYS); waits until ready.
   */
  static ChildBroker start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("--host", TestServers.HOST, "--admin-port", "0",
        "--set", "sys.intervalSeconds=0", "--set", "mqtt.port=0"));
    if (!List.of(args).contains("--port")) {
      command.addAll(List.of("--port", "0"));
    }
    command.addAll(List.of(args));
    return new ChildBroker(ChildJvm.start("256m", READY, "io.braid.server.cli.BraidServerMain", command));
  }

  int port() {
    return port;
  }

  /** The admin HTTP port, or -1 if it is off. */
  int adminPort() {
    return adminPort;
  }

  /** The value of a Prometheus sample on the admin port's {@code /metrics}, such as {@code braid_sessions}. */
  double metric(String sample) throws Exception {
    // java.net.http's: this package has an HttpResponse of its own
    java.net.http.HttpResponse<String> response = METRICS.send(HttpRequest.newBuilder(
        URI.create("http://" + TestServers.HOST + ":" + adminPort + "/metrics")).timeout(Duration.ofSeconds(10))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    Matcher line = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(response.body());
    assertThat(line.find()).as("%s on /metrics", sample).isTrue();
    return Double.parseDouble(line.group(1));
  }

  /** Closes the connection of {@code clientId} through the admin API (its session stays), authorized by {@code token}. */
  void disconnect(String clientId, String token) throws Exception {
    java.net.http.HttpResponse<String> response = METRICS.send(HttpRequest.newBuilder(
        URI.create("http://" + TestServers.HOST + ":" + adminPort + "/api/sessions/" + clientId + "/disconnect"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("disconnect %s: %s", clientId, response.body()).isEqualTo(200);
  }

  /** SIGTERM: the broker stops gracefully (clients told, store flushed); waits until it has exited. */
  void stop() throws InterruptedException {
    assertThat(jvm.terminate(60)).as("the broker's exit code after SIGTERM").isIn(0, 128 + 15, 143);
  }

  boolean isAlive() {
    return jvm.isAlive();
  }

  /** SIGKILL: the broker gets no chance to flush anything. */
  void kill9() throws InterruptedException {
    jvm.kill9();
  }

  /**
   * Live instances of {@code className} in the broker's heap, after the full collection that
   * {@code jcmd GC.class_histogram} runs.
   */
  long liveInstances(String className) throws Exception {
    Process jcmd = new ProcessBuilder(ChildJvm.tool("jcmd"), String.valueOf(jvm.pid()), "GC.class_histogram")
        .redirectErrorStream(true).start();
    String histogram = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(jcmd.exitValue()).as("jcmd: %s", histogram).isZero();
    // "  12:          256           6144  io.braid.protocol.message.PubAck"
    Matcher row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "(\\s|$)",
        Pattern.MULTILINE).matcher(histogram);
    return row.find() ? Long.parseLong(row.group(1)) : 0;
  }

  @Override
  public void close() throws InterruptedException {
    jvm.close();
  }
}
