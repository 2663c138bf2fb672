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
 * Memory per idle WebSocket connection. For each server it starts a {@link MemoryProbeServer} in a
 * child JVM (same class path, heap committed and touched up front), opens and closes a few hundred
 * connections so that classes and pools are warm, takes the heap used after full GCs and the
 * resident memory, opens {@code --connections} idle connections from this process (handshake
 * complete; with {@code --compression}, one compressed message echoed), takes both again and divides
 * the differences by the connections open. Resident memory beyond the pre-touched heap is what lives
 * off the heap, zlib's compressors among it.
 *
 * <p>The client is Vert.x's {@link WebSocketClient}, the same for both servers; several loopback
 * source addresses can share the connections when one address runs out of ephemeral ports.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Heap and off-heap memory per idle WebSocket connection, Braid's server and Vert.x's, each in a child JVM.")
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

  @Option(names = "--compression", defaultValue = "off",
      description = "off, on or takeover: the client offers permessage-deflate and each connection echoes one 1 KiB "
          + "JSON-like text message before it idles, so that its compressors have run (default: ${DEFAULT-VALUE}).")
  Compression compression;

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
    out.printf("Memory: %,d idle connections per server, child JVM -Xms%s -Xmx%s with the heap pre-touched, server on %d "
        + "event loop(s), compression %s, client: Vert.x WebSocketClient from %s%n%n",
        connections, childHeap, childHeap, serverEventLoops, compression, sourceAddresses);
    List<String> rows = new ArrayList<>();
    for (String server : servers) {
      rows.add(probe(server, out));
    }
    out.println();
    out.println("| server | compression | connections open | heap per connection | off-heap (RSS) per connection | both |");
    out.println("|---|---|---:|---:|---:|---:|");
    rows.forEach(out::println);
    return 0;
  }

  private String probe(String server, PrintStream out) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xms" + childHeap, "-Xmx" + childHeap, "-XX:+AlwaysPreTouch",
        "-cp", System.getProperty("java.class.path"),
        MemoryProbeServer.class.getName(), server, String.valueOf(serverEventLoops), compression.name())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter toChild = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      int port = Integer.parseInt(expect(fromChild, "PORT"));
      out.printf("[%s] child pid %d listening on %d%n", server, child.pid(), port);

      List<WebSocket> warm = open(vertx, port, WARMUP_CONNECTIONS, server + " warm-up", out);
      echoOnce(warm);
      closeAll(warm);
      toChild.println("measure");
      long before = Long.parseLong(expect(fromChild, "HEAP"));
      long rssBefore = Long.parseLong(expect(fromChild, "RSS"));
      out.printf("[%s] heap after GC, no connections: %,d B, resident %,d B%n", server, before, rssBefore);

      List<WebSocket> idle = open(vertx, port, connections, server, out);
      echoOnce(idle);
      Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
      toChild.println("measure");
      long after = Long.parseLong(expect(fromChild, "HEAP"));
      long rssAfter = Long.parseLong(expect(fromChild, "RSS"));
      long open = idle.stream().filter(ws -> !ws.isClosed()).count();
      double perConnection = (after - before) / (double) open;
      double offHeap = (rssAfter - rssBefore) / (double) open;
      out.printf("[%s] heap after GC, %,d connections: %,d B -> %,.0f B per connection; resident %,d B -> %,.0f B per "
          + "connection%n", server, open, after, perConnection, rssAfter, offHeap);
      if (histogramRows > 0) {
        toChild.println("histogram " + histogramRows);
        for (String line = fromChild.readLine(); line != null && !line.equals("END"); line = fromChild.readLine()) {
          out.println("  " + line);
        }
      }
      closeAll(idle);
      return String.format("| %s | %s | %,d | %,.0f B | %,.0f B | %.1f KiB |", server, compression, open, perConnection,
          offHeap, (perConnection + offHeap) / 1024);
    } finally {
      toChild.println("quit");
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroy();
      }
    }
  }

  /** With compression on, has every connection echo one compressible message, so that its compressors have run. */
  private void echoOnce(List<WebSocket> sockets) throws Exception {
    if (!compression.enabled()) {
      return;
    }
    String message = new String(LoadRun.jsonPayload(1024), StandardCharsets.US_ASCII);
    java.util.concurrent.CountDownLatch echoed = new java.util.concurrent.CountDownLatch(sockets.size());
    for (WebSocket ws : sockets) {
      ws.textMessageHandler(text -> echoed.countDown());
      ws.writeTextMessage(message);
    }
    if (!echoed.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(echoed.getCount() + " connections got no echo");
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
          .setTryUsePerMessageCompression(compression.enabled())
          .setConnectTimeout(30_000)));
    }
    WebSocketConnectOptions target = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/echo");
    Connections.Opened<WebSocket> opened = Connections.open(clients, List.of(vertx.getOrCreateContext()), target, n, CONNECT_CONCURRENCY, ws -> ws, done -> { });
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
