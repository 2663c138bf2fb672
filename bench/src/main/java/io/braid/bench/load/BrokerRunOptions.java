package io.braid.bench.load;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every broker load command shares (picocli mixin): run length, the broker's JVM and settings, the
 * load clients' event loops, and open or closed loop.
 */
final class BrokerRunOptions {

  @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
      description = "Warm-up per run (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
      description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(names = "--broker-event-loops", defaultValue = "2",
      description = "Event loops of the broker (default: ${DEFAULT-VALUE}).")
  int brokerEventLoops;

  @Option(names = "--client-event-loops", defaultValue = "2",
      description = "Event loops of the load clients (default: ${DEFAULT-VALUE}).")
  int clientEventLoops;

  @Option(names = "--rate", defaultValue = "0", paramLabel = "MESSAGES_PER_SECOND",
      description = "Open loop: all publishers of a scenario together send this many messages a second at fixed "
          + "intervals, for latency at a given load; 0: closed loop, each publisher within its window (default: "
          + "${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--broker-set", paramLabel = "KEY=VALUE",
      description = "A broker setting for this run, e.g. limits.streamWindow=256; repeatable.")
  List<String> brokerSettings = new ArrayList<>();

  @Option(names = "--heap", defaultValue = "4g",
      description = "The broker's -Xmx (default: ${DEFAULT-VALUE}).")
  String heap;
}
