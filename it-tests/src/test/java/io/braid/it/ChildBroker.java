package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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

  private static final Pattern READY = Pattern.compile("broker at ws://localhost:(\\d+)/braid");

  private final ChildJvm jvm;
  private final int port;

  private ChildBroker(ChildJvm jvm) {
    this.jvm = jvm;
    this.port = Integer.parseInt(jvm.ready().group(1));
  }

  /** Starts the broker with {@code args} after the test defaults (loopback, free ports, no $SYS); waits until ready. */
  static ChildBroker start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("--host", TestServers.HOST, "--port", "0", "--admin-port", "0",
        "--set", "sys.intervalSeconds=0", "--set", "mqtt.port=0"));
    command.addAll(List.of(args));
    return new ChildBroker(ChildJvm.start("256m", READY, "io.braid.server.cli.BraidServerMain", command));
  }

  int port() {
    return port;
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
