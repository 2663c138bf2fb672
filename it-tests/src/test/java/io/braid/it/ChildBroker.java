package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code braid-server}'s main class in a child JVM on the test class path: for tests that kill it ({@code kill -9})
 * or look into its heap ({@code jcmd}), which an in-process broker cannot give them.
 */
final class ChildBroker implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("broker at ws://localhost:(\\d+)/braid");

  private final Process process;
  private final int port;

  private ChildBroker(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the broker with {@code args} after the test defaults (loopback, free ports, no $SYS); waits until ready. */
  static ChildBroker start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(javaTool("java"), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), "io.braid.server.cli.BraidServerMain", "--host", TestServers.HOST,
        "--port", "0", "--admin-port", "0", "--set", "sys.intervalSeconds=0"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          Matcher matcher = READY.matcher(line);
          if (matcher.find()) {
            port.complete(Integer.parseInt(matcher.group(1)));
          } else if (line.contains(" WARN ") || line.contains(" ERROR ") || !port.isDone()) {
            System.out.println("[child broker " + process.pid() + "] " + line); // into the test's report
          }
        }
        port.completeExceptionally(new AssertionError("braid-server exited before it was ready"));
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
    }, "braid-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ChildBroker(process, port.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** SIGKILL: the broker gets no chance to flush anything. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(128 + 9);
  }

  String threadDump() throws Exception {
    Process jcmd = new ProcessBuilder(javaTool("jcmd"), String.valueOf(process.pid()), "Thread.print")
        .redirectErrorStream(true).start();
    return new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /**
   * Live instances of {@code className} in the broker's heap, after the full collection that
   * {@code jcmd GC.class_histogram} runs.
   */
  long liveInstances(String className) throws Exception {
    Process jcmd = new ProcessBuilder(javaTool("jcmd"), String.valueOf(process.pid()), "GC.class_histogram")
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
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  private static String javaTool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }
}
