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
 * A main class of the test class path in a child JVM, for tests that kill a process ({@code kill -9}) or look into
 * its heap: started, then ready once it printed a line matching a pattern. It logs at the server's own levels; its
 * warnings and errors go to this JVM's output, under its pid, for the test's report, and its other lines to
 * {@link ChildOutput}, shown if the test fails.
 */
final class ChildJvm implements AutoCloseable {

  /** What Hazelcast (a clustered broker) wants of the JDK; the broker's jar says the same in its manifest. */
  static final List<String> HAZELCAST_JVM_ARGS = List.of("--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private final Process process;
  private final Matcher ready;

  private ChildJvm(Process process, Matcher ready) {
    this.process = process;
    this.ready = ready;
  }

  /** Starts {@code mainClass} with {@code args}; waits at most 60 s for a line matching {@code ready}. */
  static ChildJvm start(String heap, Pattern ready, String mainClass, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool("java"), "-Xmx" + heap));
    command.addAll(HAZELCAST_JVM_ARGS);
    command.add("-Dlogback.configurationFile=logback.xml"); // the server's own levels, not the tests' warnings only
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Matcher> readyLine = new CompletableFuture<>();
    ChildOutput.Lines unshown = ChildOutput.of(process.pid());
    Thread reader = new Thread(() -> read(process, ready, readyLine, unshown), "child-jvm-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      return new ChildJvm(process, readyLine.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** {@code IT_CHILD_OUTPUT=all}: every line children print is shown as it comes, to debug a test. */
  private static final boolean EVERY_LINE = "all".equals(System.getenv("IT_CHILD_OUTPUT"));

  private static void read(Process process, Pattern ready, CompletableFuture<Matcher> readyLine,
      ChildOutput.Lines unshown) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher matcher = ready.matcher(line);
        if (!readyLine.isDone() && matcher.find()) {
          readyLine.complete(matcher);
        } else if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception") || EVERY_LINE) {
          System.out.println("[child " + process.pid() + "] " + line);
        } else {
          unshown.add(line);
        }
      }
      readyLine.completeExceptionally(new AssertionError("the child JVM exited before it was ready; its other lines:\n"
          + unshown.text()));
    } catch (IOException e) {
      readyLine.completeExceptionally(e);
    }
  }

  /** The line that said the child was ready, matched. */
  Matcher ready() {
    return ready;
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: the child gets no chance to flush anything. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(128 + 9);
  }

  /** SIGTERM: the child shuts down gracefully; its exit code, or -1 if it did not exit within {@code seconds}. */
  int terminate(long seconds) throws InterruptedException {
    process.destroy();
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** Waits for the child to exit by itself; its exit code, or -1 if it did not within {@code seconds}. */
  int awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }
}
