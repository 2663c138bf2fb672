package io.braid.bench.load;

import io.braid.protocol.message.Connect;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * End-to-end broker load over WebSocket on loopback: the broker ({@code braid-server}) in a child JVM, Braid
 * clients of this tool (Vert.x's WebSocket client, the protocol module's codecs) publishing 100-byte payloads and
 * subscribing, in the scenarios of issue 5, at QoS 0 and QoS 1 (subscribers hold persistent sessions on the
 * durable store, so QoS 1 deliveries are written and synced). The same broker's {@code /echo} endpoint, loaded by
 * the echo tool in the same run, is the baseline: the ratio of the two is the cost of the protocol and the routing.
 * Then the heap per connected session with one subscription, at {@code --sessions} sessions.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"End-to-end broker load (braid-server in a child JVM) with /echo of the same broker as baseline,",
        "then heap per connected session with one subscription."})
final class BrokerCommand implements Callable<Integer> {

  @Mixin
  BrokerRunOptions run;

  @Option(names = "--scenarios", split = ",", defaultValue = "one-to-one,fan-out,fan-in,topics",
      description = "Scenarios: one-to-one, fan-out (1 -> 1,000), fan-in (1,000 -> 1), topics (10,000 publishers on "
          + "10,000 topics, one subscriber each); each with -history on topics that keep a history "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--qos", split = ",", defaultValue = "0,1", description = "QoS levels (default: ${DEFAULT-VALUE}).")
  List<Integer> qos;

  @Option(names = "--echo-connections", defaultValue = "100", description = "Connections of the /echo baseline (default: ${DEFAULT-VALUE}).")
  int echoConnections;

  @Option(names = "--echo-in-flight", defaultValue = "16", description = "Messages in flight per /echo connection (default: ${DEFAULT-VALUE}).")
  int echoInFlight;

  @Option(names = "--link-delay", defaultValue = "0", paramLabel = "MILLIS",
      description = "Put a proxy between the clients and the broker that delays each direction by this much (the "
          + "round trip is twice it), for what the windows allow on a long link; 0: none (default: ${DEFAULT-VALUE}).")
  long linkDelayMillis;

  @Option(names = "--publisher-window", defaultValue = "0", paramLabel = "MESSAGES",
      description = "Messages each publisher keeps outstanding (published, not yet delivered) instead of the "
          + "scenario's own (one-to-one 32, fan-out 8, fan-in and pairs 4, topics 1), so that the broker's windows "
          + "are what binds; 0: the scenario's (default: ${DEFAULT-VALUE}).")
  int publisherWindow;

  @Option(names = "--sessions", defaultValue = "10000", description = "Sessions of the memory measurement; 0 skips it (default: ${DEFAULT-VALUE}).")
  int sessions;

  @Option(names = "--clients", split = ",", defaultValue = "endpoint",
      description = "Client implementations, each running every scenario: endpoint (the bare stream endpoint), sdk "
          + "(the Java SDK); with both, the SDK's throughput is also given over the endpoint's (default: "
          + "${DEFAULT-VALUE}).")
  List<String> clients;

  @Option(names = "--client-memory", defaultValue = "0", description = "Idle connected clients, one subscription "
      + "each, of every implementation of --clients, for the client heap per connection; 0 skips it (default: "
      + "${DEFAULT-VALUE}).")
  int clientMemory;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    String limit = FileLimits.check(12_000, "the topics scenario and the memory measurement (10,000 connections)");
    if (limit != null) {
      System.err.println(limit);
      return 2;
    }
    out.printf("Broker: braid-server in a child JVM, -Xmx%s, %d event loop(s), durable store (fsync). Clients: %d "
        + "event loop(s) in this JVM. %d s warm-up + %d s measured per run, %d-byte payloads.%n%n", run.heap,
        run.brokerEventLoops, run.clientEventLoops, run.warmupSeconds, run.durationSeconds, BrokerLoadRun.PAYLOAD);
    List<BrokerLoadRun.Result> results = new ArrayList<>();
    List<BrokerCounters> counters = new ArrayList<>();
    LoadResult echo;
    try (BrokerProcess broker = BrokerProcess.start(run.heap, run.brokerEventLoops, run.brokerSettings);
        DelayProxy proxy = linkDelayMillis > 0 ? DelayProxy.start(broker.port(), linkDelayMillis) : null) {
      int port = proxy != null ? proxy.port() : broker.port();
      if (proxy != null) {
        out.printf("Every connection through a proxy delaying each direction by %d ms (round trip %d ms).%n",
            linkDelayMillis, 2 * linkDelayMillis);
      }
      echo = new LoadRun(EchoTarget.external(URI.create("ws://127.0.0.1:" + port + "/echo")),
          new LoadSpec(echoConnections, BrokerLoadRun.PAYLOAD, false, echoInFlight, run.warmupSeconds,
              run.durationSeconds, run.clientEventLoops, Compression.off), new Progress(out, Progress.Mode.OFF)).run();
      out.printf("/echo baseline: %,.0f messages/s (%d connections, %d in flight each), p50 %.0f us, p99 %.0f us%n",
          echo.messagesPerSecond(), echoConnections, echoInFlight, echo.micros(50), echo.micros(99));
      for (String name : scenarios) {
        for (int level : qos) {
          for (String kind : clients) {
            System.gc();
            BrokerCounters before = broker.counters();
            BrokerLoadRun.Scenario scenario = BrokerLoadRun.Scenario.named(name);
            if (publisherWindow > 0) {
              scenario = scenario.withWindow(publisherWindow);
            }
            BrokerLoadRun.Result result = new BrokerLoadRun(scenario, level, port,
                run.warmupSeconds, run.durationSeconds, run.clientEventLoops, LoadClient.Kind.named(kind), run.rate)
                .run();
            results.add(result);
            counters.add(broker.counters().since(before));
          }
        }
      }
    }
    out.println();
    out.println("| scenario | QoS | client | clients | deliveries/s | p50 µs | p99 µs | p99.9 µs | / echo |"
        + (run.rate > 0 ? " stalls |" : ""));
    out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|" + (run.rate > 0 ? "---:|" : ""));
    for (BrokerLoadRun.Result result : results) {
      out.printf("| %s | %d | %s | %,d | %,.0f | %.0f | %.0f | %.0f | %.2f |%s%n", result.scenario(), result.qos(),
          result.client().label(), result.clients(), result.deliveriesPerSecond(), result.micros(50),
          result.micros(99), result.micros(99.9), result.deliveriesPerSecond() / echo.messagesPerSecond(),
          run.rate > 0 ? String.format(" %,d |", result.stalls()) : "");
    }
    out.printf("%n/echo: %,.0f messages/s%n", echo.messagesPerSecond());
    printBrokerCounters(out, results, counters);
    printSdkOverEndpoint(out, results);
    if (sessions > 0) {
      measureMemory(out);
    }
    for (String kind : clientMemory > 0 ? clients : List.<String>of()) {
      ClientMemory.measure(out, LoadClient.Kind.named(kind), clientMemory, run.heap, run.brokerEventLoops,
          run.clientEventLoops);
    }
    return 0;
  }

  /**
   * Per run (warm-up included, so rates are over the whole run): the store's group commits, what each carried, and
   * the broker's CPU per delivery. At QoS 1 with persistent subscribers every delivery waited for one of the commits.
   */
  private static void printBrokerCounters(PrintStream out, List<BrokerLoadRun.Result> results,
      List<BrokerCounters> counters) {
    out.printf("%n| scenario | QoS | client | commits/s | deliveries per commit | mean commit µs | forces/s "
        + "| mean force µs | broker CPU %% | broker CPU µs per delivery |%n"
        + "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|%n");
    for (int i = 0; i < results.size(); i++) {
      BrokerLoadRun.Result result = results.get(i);
      BrokerCounters broker = counters.get(i);
      double deliveries = result.deliveriesPerSecond();
      boolean durable = result.qos() > 0;
      out.printf("| %s | %d | %s | %,.0f | %s | %.0f | %,.0f | %.0f | %.0f | %.1f |%n", result.scenario(),
          result.qos(), result.client().label(), broker.commitsPerSecond(),
          durable ? String.format("%,.1f", deliveries / broker.commitsPerSecond()) : "-",
          broker.meanCommitMicros(), broker.forcesPerSecond(), broker.meanForceMicros(), broker.cpuPercent(),
          broker.cpuPercent() / 100 * 1e6 / deliveries);
    }
  }

  /**
   * With both implementations: the SDK's deliveries per second over the endpoint's, per scenario and QoS, each SDK run
   * paired with the endpoint run right before it (same broker, a minute apart at most).
   */
  private static void printSdkOverEndpoint(PrintStream out, List<BrokerLoadRun.Result> results) {
    boolean header = false;
    for (int i = 1; i < results.size(); i++) {
      BrokerLoadRun.Result sdk = results.get(i);
      BrokerLoadRun.Result endpoint = results.get(i - 1);
      if (sdk.client() != LoadClient.Kind.SDK || endpoint.client() != LoadClient.Kind.ENDPOINT
          || !endpoint.scenario().equals(sdk.scenario()) || endpoint.qos() != sdk.qos()) {
        continue;
      }
      if (!header) {
        out.printf("%n| scenario | QoS | sdk / endpoint deliveries/s | sdk / endpoint p99 |%n|---|---:|---:|---:|%n");
        header = true;
      }
      out.printf("| %s | %d | %.2f | %.2f |%n", sdk.scenario(), sdk.qos(),
          sdk.deliveriesPerSecond() / endpoint.deliveriesPerSecond(), sdk.micros(99) / endpoint.micros(99));
    }
  }

  /** Heap per connected session with one subscription: broker heap after GC with and without the sessions. */
  private void measureMemory(PrintStream out) throws Exception {
    try (BrokerProcess broker = BrokerProcess.start(run.heap, run.brokerEventLoops)) {
      long before = broker.heapAfterGc();
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(run.clientEventLoops));
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(sessions + 16)
          .setConnectTimeout(60_000));
      try {
        for (int first = 0; first < sessions; first += 200) {
          List<Future<Void>> batch = new ArrayList<>();
          for (int i = first; i < Math.min(first + 200, sessions); i++) {
            String topic = "memory/" + i;
            batch.add(BraidLoadClient.connect(vertx.getOrCreateContext(), client, "127.0.0.1", broker.port(), "/braid",
                Connect.builder("memory-" + i).cleanStart(true).keepAlive(600).sessionExpiryInterval(600).build())
                .compose(braid -> {
                  io.vertx.core.Promise<Void> subscribed = io.vertx.core.Promise.promise();
                  braid.context().runOnContext(v -> braid.subscribe(topic, 1, p -> { }).onComplete(subscribed));
                  return subscribed.future();
                }));
          }
          Future.all(batch).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        }
        long after = broker.heapAfterGc();
        out.printf("%nHeap per connected session with one subscription, at %,d sessions: %,d B (%.1f KiB); broker "
            + "heap after GC %,d B before, %,d B after%n", sessions, (after - before) / sessions,
            (after - before) / 1024.0 / sessions, before, after);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }
}
