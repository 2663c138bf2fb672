package io.braid.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker under load, {@code braid-server}'s main class in a JVM of its own (its own heap, threads and
 * open-file budget, as in production), on loopback with free ports, durable storage in a temporary directory, the
 * {@code /echo} endpoint on for the baseline, and the limits that would refuse a load generator lifted.
 */
final class BrokerProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile(
      "broker at ws://localhost:(\\d+)/braid, echo at ws://localhost:\\d+/echo, admin at http://127.0.0.1:(\\d+), "
          + "mqtt at mqtt://localhost:(\\d+)");

  /** What Hazelcast (a clustered broker) wants of the JDK; the broker's jar says the same in its manifest. */
  static final List<String> HAZELCAST_JVM_ARGS = List.of("--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private final Process process;
  private final Path dataDirectory;
  private final int port;
  private final int adminPort;
  private final int mqttPort;

  private BrokerProcess(Process process, Path dataDirectory, int port, int adminPort, int mqttPort) {
    this.mqttPort = mqttPort;
    this.process = process;
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.adminPort = adminPort;
  }

  static BrokerProcess start(String heap, int eventLoops) throws Exception {
    return start(heap, eventLoops, List.of());
  }

  /** A broker with {@code settings} ({@code key=value}) applied after the load settings, so that they win. */
  static BrokerProcess start(String heap, int eventLoops, List<String> settings) throws Exception {
    Path dataDirectory = Files.createTempDirectory("braid-load-data");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + heap, "-XX:+MaxFDLimit"));
    command.addAll(HAZELCAST_JVM_ARGS);
    // e.g. -Dbraid.bench.brokerJvmArgs=-XX:StartFlightRecording=filename=broker.jfr to profile the broker
    String extra = System.getProperty("braid.bench.brokerJvmArgs", "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.braid.server.cli.BraidServerMain",
        "--host", "127.0.0.1", "--port", "0", "--admin-port", "0", "--echo", "--set", "mqtt.port=0",
        "--instances", Integer.toString(eventLoops), "--data-dir", dataDirectory.toString(),
        "--set", "limits.maxConnections=0", "--set", "limits.connectionRatePerIp=0",
        "--set", "limits.publishRatePerClient=0", "--set", "limits.idleTimeoutMillis=0",
        "--set", "sessions.maxQueuedMessages=100000", "--set", "sessions.maxInflight=1000",
        "--set", "sys.intervalSeconds=0", "--set", "limits.maxStreamsPerConnection=1000",
        "--set", "history.filters=load/+/history/#", // the -history scenarios' topics (BrokerLoadRun.Scenario)
        "--max-frame-size", Integer.toString(EchoTarget.MAX_MESSAGE),
        "--max-message-size", Integer.toString(EchoTarget.MAX_MESSAGE)));
    for (String setting : settings) {
      command.addAll(List.of("--set", setting));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    // e.g. -Dbraid.bench.brokerLogDir=/tmp/logs keeps each broker's whole output in broker-<pid>.log there
    String logDirectory = System.getProperty("braid.bench.brokerLogDir", "");
    PrintWriter log = logDirectory.isBlank() ? null : new PrintWriter(Files.newBufferedWriter(
        Files.createDirectories(Path.of(logDirectory)).resolve("broker-" + process.pid() + ".log")), true);
    CompletableFuture<int[]> ports = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (log != null) {
            log.println(line);
          }
          Matcher matcher = READY.matcher(line);
          if (matcher.find()) {
            ports.complete(new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3))});
          } else if (line.contains("ERROR") || line.contains("braid-server:")) {
            System.err.println("[broker] " + line);
          }
        }
        ports.completeExceptionally(new IllegalStateException("the broker exited before it was ready"));
      } catch (IOException e) {
        ports.completeExceptionally(e);
      } finally {
        if (log != null) {
          log.close();
        }
      }
    }, "broker-output");
    reader.setDaemon(true);
    reader.start();
    int[] bound = ports.get(60, TimeUnit.SECONDS);
    return new BrokerProcess(process, dataDirectory, bound[0], bound[1], bound[2]);
  }

  int port() {
    return port;
  }

  /** The broker's MQTT-over-TCP port. */
  int mqttPort() {
    return mqttPort;
  }

  long pid() {
    return process.pid();
  }

  /** Heap in use after a full GC of the broker ({@code jcmd GC.run}), in bytes, from its Prometheus metrics. */
  long heapAfterGc() throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    for (int i = 0; i < 2; i++) {
      Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run").redirectErrorStream(true)
          .start();
      gc.getInputStream().readAllBytes();
      if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
        throw new IllegalStateException("jcmd GC.run failed");
      }
    }
    long used = 0;
    Matcher matcher = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)$", Pattern.MULTILINE)
        .matcher(metrics());
    while (matcher.find()) {
      used += (long) Double.parseDouble(matcher.group(1));
    }
    return used;
  }

  /** The broker's store commits and its process's CPU time now: subtract two to describe a run. */
  BrokerCounters counters() throws Exception {
    Duration cpu = process.info().totalCpuDuration().orElse(Duration.ZERO);
    return BrokerCounters.parse(metrics(), cpu.toNanos() / 1e9);
  }

  /** One sample of the broker's metrics ({@code braid_cluster_routes}); 0 if it has none. */
  double metric(String sample) throws Exception {
    Matcher matcher = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  /** The broker's metrics in Prometheus' text format, from its admin port. */
  private String metrics() throws Exception {
    // HTTP/1.1 and a timeout: a default client's h2c upgrade was once seen to leave this request unanswered for good
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** SIGKILL: the broker gets no chance to flush or to say goodbye (a node that dies). */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    process.destroy(); // SIGTERM: a graceful stop
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    try (var files = Files.walk(dataDirectory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
