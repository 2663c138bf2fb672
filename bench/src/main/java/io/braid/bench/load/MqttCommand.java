package io.braid.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * MQTT load: the same MQTT 3.1.1 clients of this tool ({@link MqttLoadClient}) against Braid's MQTT listener and
 * against Debian's Mosquitto, and Braid's own protocol ({@link BraidLoadClient}) against the same Braid broker, in
 * one run, scenario by scenario: each cell runs the three targets back to back, so the ratios compare runs a few
 * seconds apart on the same machine.
 */
@Command(name = "mqtt", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"MQTT load: Braid's MQTT listener vs Mosquitto, and vs Braid's own protocol, in one run."})
final class MqttCommand implements Callable<Integer> {

  @Mixin
  BrokerRunOptions run;

  @Option(names = "--scenarios", split = ",", defaultValue = "one-to-one,fan-out,fan-in,pairs",
      description = "Scenarios: one-to-one, fan-out (1 -> 1,000), fan-in (1,000 -> 1), pairs (1,000 publishers on "
          + "1,000 topics, one subscriber each) (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--qos", split = ",", defaultValue = "0,1", description = "QoS levels (default: ${DEFAULT-VALUE}).")
  List<Integer> qos;

  @Option(names = "--sessions", split = ",", defaultValue = "clean,persistent",
      description = "Subscribers' sessions: clean, persistent (default: ${DEFAULT-VALUE}).")
  List<String> sessions;

  @Option(names = "--targets", split = ",", defaultValue = "braid-mqtt,mosquitto,braid",
      description = "What each cell runs against: braid-mqtt (Braid's MQTT listener), mosquitto, braid (Braid's own "
          + "protocol) (default: ${DEFAULT-VALUE}).")
  List<String> targets;

  /** One measured run. */
  private record Cell(String scenario, int qos, String sessions, String target, BrokerLoadRun.Result result) {
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    String limit = FileLimits.check(4_000, "the fan-out and fan-in scenarios against three targets");
    if (limit != null) {
      System.err.println(limit);
      return 2;
    }
    out.printf("Braid: braid-server in a child JVM, -Xmx%s, %d event loop(s), durable store (fsync). Mosquitto: %s, "
        + "persistence off (its default). Clients: %d event loop(s) in this JVM, MQTT 3.1.1 (Braid's own protocol "
        + "for 'braid'). %d s warm-up + %d s measured per run, %d-byte payloads, %s.%n%n", run.heap,
        run.brokerEventLoops, MosquittoProcess.BINARY, run.clientEventLoops, run.warmupSeconds, run.durationSeconds,
        BrokerLoadRun.PAYLOAD,
        run.rate > 0 ? String.format("open loop at %,.0f messages/s", run.rate) : "closed loop");
    List<Cell> cells = new ArrayList<>();
    try (BrokerProcess braid = BrokerProcess.start(run.heap, run.brokerEventLoops, run.brokerSettings);
        MosquittoProcess mosquitto = MosquittoProcess.start()) {
      for (String name : scenarios) {
        for (int level : qos) {
          for (String session : sessions) {
            boolean persistent = switch (session) {
              case "clean" -> false;
              case "persistent" -> true;
              default -> throw new IllegalArgumentException("--sessions: clean or persistent, not " + session);
            };
            for (String target : targets) {
              System.gc();
              int port = switch (target) {
                case "braid-mqtt" -> braid.mqttPort();
                case "mosquitto" -> mosquitto.port();
                case "braid" -> braid.port();
                default -> throw new IllegalArgumentException("--targets: braid-mqtt, mosquitto or braid, not "
                    + target);
              };
              LoadClient.Kind kind = target.equals("braid") ? LoadClient.Kind.ENDPOINT : LoadClient.Kind.MQTT;
              BrokerLoadRun load = new BrokerLoadRun(BrokerLoadRun.Scenario.named(name), level, port,
                  run.warmupSeconds, run.durationSeconds, run.clientEventLoops, kind, run.rate, persistent);
              cells.add(new Cell(name, level, session, target, load.run()));
            }
          }
        }
      }
    }
    print(out, cells);
    return 0;
  }

  private void print(PrintStream out, List<Cell> cells) {
    out.println();
    out.println("| scenario | QoS | sessions | target | deliveries/s | p50 µs | p99 µs | p99.9 µs | / mosquitto | "
        + "/ braid |" + (run.rate > 0 ? " stalls |" : ""));
    out.println("|---|---:|---|---|---:|---:|---:|---:|---:|---:|" + (run.rate > 0 ? "---:|" : ""));
    for (Cell cell : cells) {
      BrokerLoadRun.Result r = cell.result();
      out.printf("| %s | %d | %s | %s | %,.0f | %.0f | %.0f | %.0f | %s | %s |%s%n", cell.scenario(), cell.qos(),
          cell.sessions(), cell.target(), r.deliveriesPerSecond(), r.micros(50), r.micros(99), r.micros(99.9),
          ratio(cells, cell, "mosquitto"), ratio(cells, cell, "braid"),
          run.rate > 0 ? String.format(" %,d |", r.stalls()) : "");
    }
  }

  /** {@code cell}'s deliveries per second over those of {@code peer} in the same cell, or "-". */
  private static String ratio(List<Cell> cells, Cell cell, String peer) {
    if (cell.target().equals(peer)) {
      return "-";
    }
    for (Cell other : cells) {
      if (other.target().equals(peer) && other.scenario().equals(cell.scenario()) && other.qos() == cell.qos()
          && other.sessions().equals(cell.sessions())) {
        return String.format("%.2f", cell.result().deliveriesPerSecond() / other.result().deliveriesPerSecond());
      }
    }
    return "-";
  }
}
