package io.braid.bench.load;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop WebSocket load against echo servers, Braid's {@code /echo} and Vert.x's built-in
 * {@code HttpServer} WebSocket support, with the same load client for both (Vert.x's
 * {@code WebSocketClient}), each server and the client in Vert.x instances of their own with a fixed
 * number of event loops. Prints every run and the Braid/Vert.x ratios as Markdown tables.
 *
 * <pre>
 * java -cp braid-benchmarks.jar io.braid.bench.load.LoadTool --connections 1,100,1000
 * java -cp braid-benchmarks.jar io.braid.bench.load.LoadTool --target ws://host:8080/echo
 * java -cp braid-benchmarks.jar io.braid.bench.load.LoadTool memory --connections 10000
 * </pre>
 */
@Command(name = "LoadTool", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = {MemoryCommand.class, BrokerCommand.class, ClusterCommand.class, FailoverCommand.class, MqttCommand.class,
        FsyncCommand.class},
    description = {
        "Closed-loop echo load: N connections each keep --in-flight messages of --message-size bytes outstanding,",
        "sending the next one when the echo arrives; reports messages/s and send-to-echo latency percentiles.",
        "Without --target, runs Braid's /echo and a Vert.x HttpServer echo server, both started in-process."})
public final class LoadTool implements Callable<Integer> {
  enum MessageType { binary, text }

  @Option(names = "--connections", split = ",", defaultValue = "1,100,1000",
      description = "Connection counts to run, comma separated (default: ${DEFAULT-VALUE}).")
  List<Integer> connections;

  @Option(names = "--message-size", defaultValue = "100", description = "Payload bytes per message (default: ${DEFAULT-VALUE}).")
  int messageSize;

  @Option(names = "--message-type", defaultValue = "binary",
      description = "binary or text (ASCII) messages (default: ${DEFAULT-VALUE}).")
  MessageType messageType;

  @Option(names = "--compression", defaultValue = "off",
      description = "off, on (permessage-deflate offered by the client; Braid's default server settings) or takeover "
          + "(Braid keeps its window between messages); text messages become JSON-like (default: ${DEFAULT-VALUE}).")
  Compression compression;

  @Option(names = "--in-flight", defaultValue = "1", description = "Messages outstanding per connection (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS", description = "Unmeasured load before each measurement (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(names = "--server-event-loops", defaultValue = "1", description = "Event loops of each in-process server (default: ${DEFAULT-VALUE}).")
  int serverEventLoops;

  @Option(names = "--client-event-loops", defaultValue = "1", description = "Event loops of the load client (default: ${DEFAULT-VALUE}).")
  int clientEventLoops;

  @Option(names = "--servers", split = ",", defaultValue = "braid,vertx",
      description = "In-process servers to load, in this order (default: ${DEFAULT-VALUE}).")
  List<String> servers;

  @Option(names = "--target", paramLabel = "ws://HOST:PORT/PATH",
      description = "Load this external echo endpoint instead of the in-process servers.")
  URI target;

  @Option(names = "--rounds", defaultValue = "1",
      description = "Runs per server and connection count, alternating which server goes first; ratios use medians (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--settle", defaultValue = "10", paramLabel = "SECONDS",
      description = {"Before the measured rounds at each connection count, load each in-process server this long at that"
          + " count and discard the result: the first run at a new count runs slow (JIT compilation of new paths, heap and"
          + " socket buffers resizing), whichever server it is (default: ${DEFAULT-VALUE}; 0 skips)."})
  int settleSeconds;

  @Option(names = "--pause", defaultValue = "2", paramLabel = "SECONDS", description = "Quiet time between runs (default: ${DEFAULT-VALUE}).")
  int pauseSeconds;

  @Option(names = "--progress", defaultValue = "auto",
      description = "Live progress: auto (rewritten line on a terminal, else lines), cr, lines or off (default: ${DEFAULT-VALUE}).")
  Progress.Mode progressMode;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadTool()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    String invalid = validate();
    if (invalid != null) {
      System.err.println(invalid);
      return 2;
    }
    int most = Collections.max(connections);
    String limit = FileLimits.check(2L * most + 256, "a run of " + most + " connections (client and server in one process)");
    if (limit != null && target == null) {
      System.err.println(limit);
      return 2;
    }
    LoadSpec base = new LoadSpec(0, messageSize, messageType == MessageType.text, inFlight, warmupSeconds,
        durationSeconds, clientEventLoops, compression);
    out.printf("Load: %s messages of %d B, %d in flight per connection, %d s warm-up + %d s measured per run, compression %s%n",
        messageType, messageSize, inFlight, warmupSeconds, durationSeconds, compression);
    out.printf("Client: Vert.x WebSocketClient, own Vert.x instance, %d event loop(s). ", clientEventLoops);
    out.println(target != null ? "Target: " + target
        : "Servers: " + servers + ", each in its own Vert.x instance with " + serverEventLoops + " event loop(s).");
    out.printf("JVM: %s %s, %d CPUs%n%n", System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());

    Progress progress = new Progress(out, progressMode);
    List<LoadResult> results = new ArrayList<>();
    for (int n : connections) {
      if (target == null && settleSeconds > 0) {
        LoadSpec settle = new LoadSpec(n, messageSize, messageType == MessageType.text, inFlight,
            Math.max(0, settleSeconds - 1), 1, clientEventLoops, compression);
        for (String name : servers) {
          runOne(name, settle, progress);
          pause();
        }
        out.printf("Settling runs at %d connections done (discarded); measured runs follow.%n", n);
      }
      for (int round = 0; round < rounds; round++) {
        List<String> order = new ArrayList<>(target != null ? List.of("external") : servers);
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        for (String name : order) {
          results.add(runOne(name, base.withConnections(n), progress));
          pause();
        }
      }
    }
    out.println();
    LoadReport.print(out, results);
    return results.stream().anyMatch(r -> r.connected() < r.connections()) ? 1 : 0;
  }

  private String validate() {
    if (connections.stream().anyMatch(n -> n < 1)) {
      return "--connections must all be >= 1";
    }
    if (messageSize < 1 || messageSize > EchoTarget.MAX_MESSAGE) {
      return "--message-size must be 1.." + EchoTarget.MAX_MESSAGE;
    }
    if (inFlight < 1 || warmupSeconds < 0 || durationSeconds < 1 || rounds < 1) {
      return "--in-flight, --duration and --rounds must be >= 1, --warmup >= 0";
    }
    if (serverEventLoops < 1 || clientEventLoops < 1) {
      return "event loop counts must be >= 1";
    }
    for (String s : servers) {
      if (!s.equals("braid") && !s.equals("vertx")) {
        return "--servers takes braid and/or vertx, not " + s;
      }
    }
    return null;
  }

  private LoadResult runOne(String name, LoadSpec spec, Progress progress) throws Exception {
    EchoTarget t = switch (name) {
      case "braid" -> EchoTarget.await(EchoTarget.braid(serverEventLoops, compression));
      case "vertx" -> EchoTarget.await(EchoTarget.vertx(serverEventLoops, compression));
      default -> EchoTarget.external(target);
    };
    try {
      return new LoadRun(t, spec, progress).run();
    } finally {
      t.close();
    }
  }

  private void pause() throws InterruptedException {
    System.gc();
    Thread.sleep(TimeUnit.SECONDS.toMillis(pauseSeconds));
  }
}
