package io.braid.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Heap per idle WebSocket connection. For each server it starts a {@link MemoryProbeServer} in a
 * child JVM (same class path), opens and closes a few hundred connections so that classes and
 * pools are warm, takes the heap used after full GCs, opens {@code --connections} idle connections
 * from this process (handshake complete, nothing sent), takes the heap again and divides the
 * difference by the connections open.
 *
 * <p>The client is Vert.x's {@link WebSocketClient}, the same for both servers; several loopback
 * source addresses can share the connections when one address runs out of ephemeral ports.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Heap per idle WebSocket connection, Braid's server and Vert.x's, each in a child JVM.")
final class MemoryCommand implements Callable<Integer> {
  private static final int WARMUP_CONNECTIONS = 500;
  private static final int CONNECT_CONCURRENCY = 128;

  @Option(names = "--connections", defaultValue = "10000", description = "Idle connections to open (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--servers", split = ",", defaultValue = "braid,vertx", description = "Servers to probe (default: ${DEFAULT-VALUE}).")
  List<String> servers;

  @Option(names = "--child-heap", defaultValue = "2g", description = "-Xmx of the child JVM (default: ${DEFAULT-VALUE}).")
  String childHeap;

  @Option(names = "--server-event-loops", defaultValue = "1", description = "Event loops of the server (default: ${DEFAULT-VALUE}).")
  int serverEventLoops;

  @Option(names = "--source-addresses", split = ",", defaultValue = "127.0.0.1",
      description = "Loopback addresses to connect from, round robin (default: ${DEFAULT-VALUE}).")
  List<String> sourceAddresses;

  @Option(names = "--settle", defaultValue = "3", paramLabel = "SECONDS", description = "Wait after connecting before measuring (default: ${DEFAULT-VALUE}).")
  int settleSeconds;

  @Option(names = "--histogram", defaultValue = "0", paramLabel = "ROWS",
      description = "Also print this many rows of the child's class histogram with the connections open (default: ${DEFAULT-VALUE}).")
  int histogramRows;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    String limit = FileLimits.check(connections + 512L, connections + " connections (this process and the child each)");
    if (limit != null) {
      System.err.println(limit);
      return 2;
    }
    out.printf("Memory: %,d idle connections per server, child JVM -Xmx%s, server on %d event loop(s), client: Vert.x WebSocketClient from %s%n%n",
        connections, childHeap, serverEventLoops, sourceAddresses);
    List<String> rows = new ArrayList<>();
    for (String server : servers) {
      rows.add(probe(server, out));
    }
    out.println();
    out.println("| server | connections open | heap before | heap with connections | heap per connection | target <= 16 KiB |");
    out.println("|---|---:|---:|---:|---:|---|");
    rows.forEach(out::println);
    return 0;
  }

  private String probe(String server, PrintStream out) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx" + childHeap, "-cp", System.getProperty("java.class.path"),
        MemoryProbeServer.class.getName(), server, String.valueOf(serverEventLoops))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter toChild = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      int port = Integer.parseInt(expect(fromChild, "PORT"));
      out.printf("[%s] child pid %d listening on %d%n", server, child.pid(), port);

      List<WebSocket> warm = open(vertx, port, WARMUP_CONNECTIONS, server + " warm-up", out);
      closeAll(warm);
      toChild.println("measure");
      long before = Long.parseLong(expect(fromChild, "HEAP"));
      out.printf("[%s] heap after GC, no connections: %,d B%n", server, before);

      List<WebSocket> idle = open(vertx, port, connections, server, out);
      Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
      toChild.println("measure");
      long after = Long.parseLong(expect(fromChild, "HEAP"));
      long open = idle.stream().filter(ws -> !ws.isClosed()).count();
      double perConnection = (after - before) / (double) open;
      out.printf("[%s] heap after GC, %,d connections: %,d B -> %,.0f B per connection%n", server, open, after, perConnection);
      if (histogramRows > 0) {
        toChild.println("histogram " + histogramRows);
        for (String line = fromChild.readLine(); line != null && !line.equals("END"); line = fromChild.readLine()) {
          out.println("  " + line);
        }
      }
      closeAll(idle);
      return String.format("| %s | %,d | %,d B | %,d B | %,.0f B (%.1f KiB) | %s |", server, open, before, after,
          perConnection, perConnection / 1024, perConnection <= 16 * 1024 ? "yes" : "**no**");
    } finally {
      toChild.println("quit");
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroy();
      }
    }
  }

  /** Reads child lines until one starts with {@code key}, and returns the rest of it. */
  private static String expect(BufferedReader fromChild, String key) throws Exception {
    for (String line = fromChild.readLine(); line != null; line = fromChild.readLine()) {
      if (line.startsWith(key + " ")) {
        return line.substring(key.length() + 1).trim();
      }
    }
    throw new IllegalStateException("child exited before answering " + key);
  }

  /** Opens {@code n} connections, a bounded number of handshakes at a time, spread over the source addresses. */
  private List<WebSocket> open(Vertx vertx, int port, int n, String label, PrintStream out) throws Exception {
    List<WebSocketClient> clients = new ArrayList<>();
    for (String address : sourceAddresses) {
      clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
          .setLocalAddress(address)
          .setMaxConnections(n + 16)
          .setConnectTimeout(30_000)));
    }
    WebSocketConnectOptions target = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/echo");
    Connections.Opened<WebSocket> opened = Connections.open(clients, target, n, CONNECT_CONCURRENCY, ws -> ws, done -> { });
    out.printf("[%s] opened %,d/%,d connections in %.1f s (%d failed)%n", label, opened.connections().size(), n,
        opened.seconds(), opened.failed());
    return opened.connections();
  }

  private static void closeAll(List<WebSocket> sockets) throws Exception {
    List<Future<Void>> closing = new ArrayList<>();
    for (WebSocket ws : sockets) {
      closing.add(ws.close());
    }
    Future.join(closing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
