package io.braid.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One closed-loop load run against one target: open the connections, warm up, measure, close.
 *
 * <p>The load client is Vert.x's own {@link WebSocketClient}, the same for every target, in a Vert.x
 * instance of its own with {@link LoadSpec#clientEventLoops()} event loops. The calling thread
 * drives the clock: once a second it takes the interval's latencies and echo count from the
 * {@link Meter}, prints the progress line and, after the warm-up, adds them to the result.
 *
 * <p>Not thread safe: one run per instance, driven by one thread.
 */
final class LoadRun {
  /** Handshakes in progress at once while connecting, so a large run does not flood the accept queue. */
  private static final int CONNECT_CONCURRENCY = 64;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final EchoTarget target;
  private final LoadSpec spec;
  private final Progress progress;
  private final Meter meter = new Meter();

  LoadRun(EchoTarget target, LoadSpec spec, Progress progress) {
    this.target = target;
    this.spec = spec;
    this.progress = progress;
  }

  LoadResult run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(spec.clientEventLoops()));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(spec.connections() + 16)
        .setMaxFrameSize(EchoTarget.MAX_MESSAGE)
        .setMaxMessageSize(EchoTarget.MAX_MESSAGE)
        .setConnectTimeout(30_000)
        .setTcpNoDelay(true)
        .setTryUsePerMessageCompression(spec.compression().enabled())
        .setCompressionLevel(6));
    try {
      List<Context> loops = EventLoopContexts.of(vertx, spec.clientEventLoops());
      List<Thread> clientLoops = EventLoopThreads.of(loops).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      List<ClosedLoopConnection> connections = connect(client, loops);
      for (ClosedLoopConnection c : connections) {
        c.context().runOnContext(v -> c.start());
      }
      return measure(connections.size(), clientLoops);
    } finally {
      progress.finish();
      meter.stop();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private List<ClosedLoopConnection> connect(WebSocketClient client, List<Context> loops) throws Exception {
    byte[] payload = spec.text() && spec.compression().enabled()
        ? jsonPayload(spec.messageSize()) : payload(spec.messageSize(), spec.text());
    int n = spec.connections();
    WebSocketConnectOptions connectOptions = new WebSocketConnectOptions()
        .setHost(target.host()).setPort(target.port()).setURI(target.path());
    Connections.Opened<ClosedLoopConnection> opened = Connections.open(List.of(client), loops, connectOptions, n,
        CONNECT_CONCURRENCY,
        ws -> new ClosedLoopConnection(ws, Vertx.currentContext(), meter, payload, spec.text(), spec.inFlight()),
        done -> progress.update(String.format("[%-6s %5d conns] connecting %d/%d", target.name(), n, done, n)));
    progress.update(String.format("[%-6s %5d conns] connected %d/%d in %.1f s", target.name(), n,
        opened.connections().size(), n, opened.seconds()));
    if (opened.connections().isEmpty()) {
      throw new IllegalStateException("no connection to " + target.name() + " succeeded");
    }
    return opened.connections();
  }

  private LoadResult measure(int connected, List<Thread> clientLoops) {
    int warmup = spec.warmupSeconds();
    int total = warmup + spec.durationSeconds();
    Histogram measured = new Histogram(3);
    Histogram interval = null;
    long measuredMessages = 0;
    long start = System.nanoTime();
    long measureStart = start;
    long last = start;
    long serverCpu = EventLoopThreads.cpuNanos(target.eventLoops());
    long clientCpu = EventLoopThreads.cpuNanos(clientLoops);
    for (int tick = 1; tick <= total; tick++) {
      long deadline = start + tick * SECOND;
      for (long now = System.nanoTime(); now < deadline; now = System.nanoTime()) {
        LockSupport.parkNanos(deadline - now);
      }
      long now = System.nanoTime();
      interval = meter.takeInterval(interval);
      long messages = meter.takeReceived();
      boolean measuring = tick > warmup;
      if (measuring) {
        measured.add(interval);
        measuredMessages += messages;
      } else if (tick == warmup) {
        measureStart = now;
        serverCpu = EventLoopThreads.cpuNanos(target.eventLoops());
        clientCpu = EventLoopThreads.cpuNanos(clientLoops);
      }
      progress.update(progressLine(tick, warmup, messages / ((now - last) / 1e9), interval));
      last = now;
    }
    long serverCpuEnd = EventLoopThreads.cpuNanos(target.eventLoops());
    long clientCpuEnd = EventLoopThreads.cpuNanos(clientLoops);
    meter.stop();
    double seconds = (last - measureStart) / 1e9;
    return new LoadResult(target.name(), spec.connections(), connected, measuredMessages, seconds, measured, meter.errors(),
        serverCpu < 0 || serverCpuEnd < 0 ? -1 : serverCpuEnd - serverCpu,
        clientCpu < 0 || clientCpuEnd < 0 ? -1 : clientCpuEnd - clientCpu);
  }

  private String progressLine(int tick, int warmup, double rate, Histogram interval) {
    String phase = tick <= warmup
        ? String.format("warm-up %2d/%d s", tick, warmup)
        : String.format("measure %2d/%d s", tick - warmup, spec.durationSeconds());
    double p50 = interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(50) / 1000.0;
    double p99 = interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1000.0;
    return String.format("[%-6s %5d conns] %s  %,10.0f msg/s  p50 %,8.1f us  p99 %,8.1f us  errors %d",
        target.name(), spec.connections(), phase, rate, p50, p99, meter.errors());
  }

  /** ASCII JSON-like records, which compress about as much as a real application's messages (3-6x). */
  static byte[] jsonPayload(int size) {
    StringBuilder sb = new StringBuilder(size + 80);
    Random random = new Random(size);
    for (int i = 0; sb.length() < size; i++) {
      sb.append("{\"id\":").append(i).append(",\"sensor\":\"s-").append(random.nextInt(100))
          .append("\",\"value\":").append(random.nextInt(10_000) / 100.0).append("},");
    }
    return sb.substring(0, size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** The fixed message: random bytes, or printable ASCII for text so that a byte is a char. */
  static byte[] payload(int size, boolean text) {
    byte[] b = new byte[size];
    Random random = new Random(size);
    for (int i = 0; i < size; i++) {
      b[i] = text ? (byte) ('a' + random.nextInt(26)) : (byte) random.nextInt(256);
    }
    return b;
  }
}
