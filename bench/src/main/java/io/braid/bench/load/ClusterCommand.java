package io.braid.bench.load;

import io.braid.cluster.MemberPorts;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Two brokers joined in a cluster, each in a child JVM: every scenario runs with all its clients on node A (single
 * node) and then with its publishers on A and its subscribers on B (cross node), in the same run, so that the cost of
 * crossing nodes is a ratio. Node B's CPU and received counter during the single-node runs are what A's traffic,
 * which nobody on B wants, costs B.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Cross-node throughput and latency of two clustered brokers, as ratios of the single-node figures.")
final class ClusterCommand implements Callable<Integer> {

  @Mixin
  BrokerRunOptions run;

  @Option(names = "--scenarios", split = ",", defaultValue = "one-to-one,fan-out",
      description = "Scenarios (as for the broker command; default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--qos", split = ",", defaultValue = "0,1", description = "QoS levels (default: ${DEFAULT-VALUE}).")
  List<Integer> qos;

  @Option(names = "--transports", split = ",", defaultValue = "links,eventbus",
      description = "cluster.transport values, each with a pair of brokers of its own (default: ${DEFAULT-VALUE}).")
  List<String> transports;

  @Option(names = "--rounds", defaultValue = "2", description = "Alternations of single and cross node (default: "
      + "${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    out.printf("Two clustered brokers in child JVMs per transport, -Xmx%s, %d event loop(s) each, durable store "
        + "(fsync); %d s warm-up + %d s measured per run, %d-byte payloads, %d round(s).%n%n", run.heap,
        run.brokerEventLoops, run.warmupSeconds, run.durationSeconds, BrokerLoadRun.PAYLOAD, rounds);
    List<Row> rows = new ArrayList<>();
    for (String transport : transports) {
      int portA = MemberPorts.next();
      int portB = MemberPorts.next();
      String members = "cluster.members=127.0.0.1:" + portA + ",127.0.0.1:" + portB;
      try (BrokerProcess a = BrokerProcess.start(run.heap, run.brokerEventLoops, settings(portA, members, transport));
          BrokerProcess b = BrokerProcess.start(run.heap, run.brokerEventLoops, settings(portB, members, transport))) {
        for (int round = 0; round < rounds; round++) {
          for (String name : scenarios) {
            for (int level : qos) {
              rows.add(measure(a, b, transport, name, level, false));
              rows.add(measure(a, b, transport, name, level, true));
            }
          }
        }
      }
    }
    out.println();
    out.println("| transport | scenario | QoS | subscribers on | deliveries/s | p50 µs | p99 µs | cross / single "
        + "deliveries/s | cross / single p99 | A CPU µs per delivery | B CPU % | B received |");
    out.println("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    Row single = null;
    for (Row row : rows) {
      BrokerLoadRun.Result result = row.result();
      double perDelivery = row.a().cpuPercent() / 100 * 1e6 / result.deliveriesPerSecond();
      String ratios = row.cross() && single != null
          ? String.format("%.2f | %.2f", result.deliveriesPerSecond() / single.result().deliveriesPerSecond(),
              result.micros(99) / single.result().micros(99))
          : "- | -";
      out.printf("| %s | %s | %d | %s | %,.0f | %.0f | %.0f | %s | %.1f | %.1f | %,d |%n", row.transport(),
          result.scenario(), result.qos(), row.cross() ? "B" : "A", result.deliveriesPerSecond(), result.micros(50),
          result.micros(99), ratios, perDelivery, row.b().cpuPercent(), row.b().clusterReceived());
      single = row.cross() ? null : row;
    }
    return 0;
  }

  private Row measure(BrokerProcess a, BrokerProcess b, String transport, String name, int level, boolean cross)
      throws Exception {
    System.gc();
    BrokerCounters beforeA = a.counters();
    BrokerCounters beforeB = b.counters();
    BrokerLoadRun.Scenario scenario = BrokerLoadRun.Scenario.named(name);
    BrokerLoadRun load = new BrokerLoadRun(scenario, level, a.port(), run.warmupSeconds, run.durationSeconds,
        run.clientEventLoops, LoadClient.Kind.ENDPOINT, run.rate);
    if (cross) {
      double routes = a.metric("braid_cluster_routes");
      long filters = IntStream.range(0, scenario.clients()).mapToObj(scenario::filterOf).filter(f -> f != null)
          .distinct().count();
      load.subscribersOn(b.port(), () -> awaitRoutes(a, routes + filters));
    }
    BrokerLoadRun.Result result = load.run();
    return new Row(transport, result, cross, a.counters().since(beforeA), b.counters().since(beforeB));
  }

  /** Waits until node A knows {@code routes} routes of node B (at most 60 s). */
  private static void awaitRoutes(BrokerProcess a, double routes) {
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (a.metric("braid_cluster_routes") < routes) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("node A did not learn node B's " + routes + " routes in 60 s");
        }
        Thread.sleep(20);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> settings(int clusterPort, String members, String transport) {
    List<String> settings = new ArrayList<>(List.of("cluster.enabled=true", "cluster.port=" + clusterPort, members,
        "cluster.transport=" + transport));
    settings.addAll(run.brokerSettings);
    return settings;
  }

  private record Row(String transport, BrokerLoadRun.Result result, boolean cross, BrokerCounters a,
      BrokerCounters b) {
  }
}
