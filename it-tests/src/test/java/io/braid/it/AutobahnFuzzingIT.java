package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autobahn|Testsuite's fuzzing client, cases 1-10 (framing, pings, reserved bits, opcodes, fragmentation, UTF-8,
 * close handling, limits; the suite has no section 8), against the echo endpoint served at {@code /}: every case must
 * be OK or INFORMATIONAL (NON-STRICT fails too). Reports land in {@code target/autobahntestsuite-reports/}.
 *
 * <p>The suite is the harness inside {@code autobahntestsuite-maven-plugin} 0.1.5, run in a child JVM under a
 * watchdog rather than as the plugin's goal, on Jython 2.7.4 rather than the plugin's 2.7.1. On 2.7.1 the harness
 * sometimes hung in its own code (Jython's "__getattribute__ not found on type PooledUnsafeDirectByteBuf", bug 2487,
 * at case 9.3.7, with the server idle: once in about a dozen CI runs, and once in the first run of this test), and
 * the goal has no time limit, so the whole build waited. A harness silent for {@link #STALL} is killed and run once
 * more; a second hang fails the test, naming the case it hung at.
 */
class AutobahnFuzzingIT {

  private static final List<String> CASES = IntStream.rangeClosed(1, 10).filter(section -> section != 8)
      .mapToObj(section -> section + ".*").toList();
  /** How long the harness may print nothing: far beyond its slowest case here (seconds). */
  private static final Duration STALL = Duration.ofSeconds(120);
  private static final Duration BOUND = Duration.ofMinutes(15);
  private static final Pattern ANNOUNCED = Pattern.compile("will run (\\d+) test cases");
  private static final Pattern RUNNING = Pattern.compile("Running test case ID (\\S+)");
  /** What {@code src/test/autobahn/FuzzingClientMain.java} prints: a case's result, and its end. */
  private static final String RESULT = "braid-autobahn-result";
  private static final String DONE = "braid-autobahn-done";
  private static Vertx vertx;
  private static BraidServer server;

  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    server = TestServers.start(vertx, options -> options.instances(2).echoPath("/").closeTimeoutMillis(2_000));
  }

  @AfterAll
  static void stopServer() throws Exception {
    TestServers.stop(server);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyCaseOfSectionsOneToTenPasses() throws Exception {
    String url = "ws://" + TestServers.HOST + ":" + server.actualPort();
    HarnessRun run = HarnessRun.start(url);
    if (run.hungAt() != null) {
      System.out.println("the Autobahn harness hung at case " + run.hungAt() + " (no output for " + STALL
          + "): killed, and run once more");
      run = HarnessRun.start(url);
    }
    assertThat(run.hungAt()).as("the case the harness hung at, twice").isNull();

    Map<String, String> results = run.results();
    assertThat(results).as("one result per case announced").hasSize(run.announced());
    assertThat(results.keySet().stream().map(name -> name.substring(0, name.indexOf('.'))).distinct())
        .as("sections run (the suite has no section 8)")
        .containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "9", "10");
    assertThat(results).as("cases neither OK nor INFORMATIONAL (behavior, behavior on close)")
        .allSatisfy((name, behavior) -> assertThat(behavior).matches("(OK|INFORMATIONAL) .*"));
  }

  /** One run of the harness in its child JVM, until it printed its results, exited, or went silent. */
  private static final class HarnessRun {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicLong lastLineNanos = new AtomicLong(System.nanoTime());
    private volatile String currentCase = "(none started)";
    private String hungAt;

    static HarnessRun start(String url) throws Exception {
      HarnessRun run = new HarnessRun();
      run.runToEnd(url);
      return run;
    }

    private void runToEnd(String url) throws Exception {
      List<String> command = new ArrayList<>(List.of(ChildJvm.tool("java"),
          "-Xmx1g", "-cp", System.getProperty("braid.it.autobahnLib") + File.separator + "*",
          System.getProperty("braid.it.autobahnRunner"), url));
      command.addAll(CASES);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Thread reader = new Thread(() -> read(process), "autobahn-harness-output");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + BOUND.toNanos();
      try {
        while (!process.waitFor(1, TimeUnit.SECONDS)) {
          long now = System.nanoTime();
          if (now - lastLineNanos.get() > STALL.toNanos() || now > deadline) {
            hungAt = currentCase;
            return;
          }
        }
        reader.join(TimeUnit.SECONDS.toMillis(10)); // the last lines after the exit
        assertThat(process.exitValue()).as("the harness's exit status; its output:%n%s", String.join("\n", lines))
            .isZero();
      } finally {
        process.destroyForcibly();
      }
    }

    private void read(Process process) {
      try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
          lastLineNanos.set(System.nanoTime());
          lines.add(line);
          Matcher running = RUNNING.matcher(line);
          if (running.find()) {
            currentCase = running.group(1);
          }
          if (!line.startsWith(RESULT)) {
            System.out.println(line);
          }
        }
      } catch (IOException e) {
        lines.add("reading the harness's output failed: " + e);
      }
    }

    /** The case running when the harness went silent, or null if it finished. */
    String hungAt() {
      return hungAt;
    }

    int announced() {
      return lines.stream().map(ANNOUNCED::matcher).filter(Matcher::find).mapToInt(m -> Integer.parseInt(m.group(1)))
          .findFirst().orElse(-1);
    }

    /** Case -> "behavior behaviorClose", from the lines the harness's runner printed once it was done. */
    Map<String, String> results() {
      assertThat(lines).as("the runner's end").contains(DONE);
      Map<String, String> results = new TreeMap<>();
      for (String line : lines) {
        if (line.startsWith(RESULT + " ")) {
          String[] fields = line.split(" ", 3);
          results.put(fields[1], fields[2]);
        }
      }
      return results;
    }
  }
}
