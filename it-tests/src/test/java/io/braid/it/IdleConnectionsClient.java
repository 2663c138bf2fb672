package io.braid.it;

import com.sun.management.UnixOperatingSystemMXBean;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of {@link TenThousandConnectionsIT}, run in a JVM of its own so that neither
 * process needs more than about 10,000 file descriptors. Opens N WebSocket connections with raw
 * handshake and frame bytes over Vert.x {@link NetClient} (the cheapest client there is), then obeys
 * commands on stdin, one per line, answering on stdout with lines that start with {@link #PREFIX}:
 *
 * <pre>
 *   (start)  -> BRAID-IT OPEN upgraded=N failures=0 [first failures]
 *   ECHO     -> BRAID-IT ECHOED matched=M of=M        (a text on every k-th connection)
 *   CLOSE    -> BRAID-IT CLOSED answered=N of=N       (close 1000 answered with 1000, then TCP closed)
 * </pre>
 *
 * <p>Any problem is a {@code BRAID-IT FAIL reason} line and a non-zero exit. A watchdog ends the
 * process after {@link #WATCHDOG_SECONDS} whatever happens.
 */
public final class IdleConnectionsClient {
  static final String PREFIX = "BRAID-IT ";
  private static final long WATCHDOG_SECONDS = 150;
  private static final long PHASE_SECONDS = 60;

  private final String host;
  private final int port;
  private final int count;
  private final int inFlightLimit;
  private final int sampleEvery;
  private final List<String> sourceAddresses;

  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicInteger upgraded = new AtomicInteger();
  private Connection[] connections;
  private CountDownLatch closed;

  private IdleConnectionsClient(String[] args) {
    host = args[0];
    port = Integer.parseInt(args[1]);
    count = Integer.parseInt(args[2]);
    inFlightLimit = Integer.parseInt(args[3]);
    sampleEvery = Integer.parseInt(args[4]);
    sourceAddresses = Arrays.asList(args[5].split(","));
  }

  /** Arguments: host port connections handshakesInFlight sampleEvery sourceAddress[,sourceAddress...]. */
  // Runs as a child JVM of TenThousandConnectionsIT: its exit status is how the parent learns the outcome.
  public static void main(String[] args) throws Exception {
    new Timer("watchdog", true).schedule(new TimerTask() {
      @Override
      public void run() {
        report("FAIL watchdog: still running after " + WATCHDOG_SECONDS + " s");
        Runtime.getRuntime().halt(4);
      }
    }, TimeUnit.SECONDS.toMillis(WATCHDOG_SECONDS));

    long needed = Integer.parseInt(args[2]) + 1_000L;
    long limit = openFileLimit();
    if (limit < needed) {
      fail("open-file limit of the client JVM is " + limit + ", " + needed
          + " needed: raise the open-file limit: ulimit -n 65536");
    }
    Vertx vertx = Vertx.vertx();
    try {
      new IdleConnectionsClient(args).run(vertx);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  static long openFileLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
  }

  private void run(Vertx vertx) throws Exception {
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    open(vertx);
    report("OPEN upgraded=" + upgraded.get() + " failures=" + failures.size() + firstFailures());
    if (!failures.isEmpty()) {
      System.exit(1);
    }
    for (String command = commands.readLine(); command != null; command = commands.readLine()) {
      switch (command.strip()) {
        case "ECHO":
          echoSample();
          break;
        case "CLOSE":
          closeAll();
          return;
        default:
          fail("unknown command '" + command + "'");
      }
    }
  }

  private void open(Vertx vertx) throws Exception {
    List<NetClient> clients = new ArrayList<>();
    for (String address : sourceAddresses) {
      clients.add(vertx.createNetClient(new NetClientOptions().setLocalAddress(address).setConnectTimeout(10_000)));
    }
    byte[] request = Handshakes.request(port, "/echo", Handshakes.SAMPLE_KEY).getBytes(StandardCharsets.ISO_8859_1);
    CountDownLatch handshakes = new CountDownLatch(count);
    closed = new CountDownLatch(count);
    Semaphore inFlight = new Semaphore(inFlightLimit);
    connections = new Connection[count];
    // At most inFlightLimit handshakes at a time, so that the server's accept backlog never overflows.
    for (int i = 0; i < count; i++) {
      if (!inFlight.tryAcquire(PHASE_SECONDS, TimeUnit.SECONDS)) {
        fail("no handshake slot freed within " + PHASE_SECONDS + " s after " + i + " connections" + firstFailures());
      }
      Connection connection = new Connection(i, handshakes, inFlight);
      connections[i] = connection;
      clients.get(i % clients.size()).connect(port, host).onComplete(ar -> {
        if (ar.succeeded()) {
          connection.start(ar.result(), request);
        } else {
          connection.fail("connect: " + ar.cause());
        }
      });
    }
    if (!handshakes.await(PHASE_SECONDS, TimeUnit.SECONDS)) {
      fail(handshakes.getCount() + " handshakes unanswered after " + PHASE_SECONDS + " s" + firstFailures());
    }
    long early = count - closed.getCount();
    if (early > 0) {
      failures.add(early + " connections closed by the server while the others were opening");
    }
  }

  private void echoSample() throws Exception {
    List<CompletableFuture<String>> echoes = new ArrayList<>();
    for (int i = 0; i < count; i += sampleEvery) {
      echoes.add(connections[i].sendText("echo from connection " + i));
    }
    CompletableFuture.allOf(echoes.toArray(CompletableFuture[]::new)).get(PHASE_SECONDS, TimeUnit.SECONDS);
    int matched = 0;
    for (int i = 0, k = 0; i < count; i += sampleEvery, k++) {
      if (echoes.get(k).get().equals("echo from connection " + i)) {
        matched++;
      }
    }
    report("ECHOED matched=" + matched + " of=" + echoes.size() + firstFailures());
  }

  private void closeAll() throws Exception {
    for (Connection connection : connections) {
      connection.sendClose();
    }
    if (!closed.await(PHASE_SECONDS, TimeUnit.SECONDS)) {
      fail(closed.getCount() + " connections still open " + PHASE_SECONDS + " s after their close frame");
    }
    long answered = Arrays.stream(connections).filter(c -> c.closeCode == 1000).count();
    report("CLOSED answered=" + answered + " of=" + count + firstFailures());
  }

  private String firstFailures() {
    return failures.isEmpty() ? "" : " " + failures.stream().limit(5).toList();
  }

  private static void report(String line) {
    System.out.println(PREFIX + line);
    System.out.flush();
  }

  private static void fail(String reason) {
    report("FAIL " + reason);
    System.exit(1);
  }

  /**
   * One connection. Its handlers run on its socket's event loop; the main thread only calls
   * {@link #sendText} and {@link #sendClose}, which write to the thread-safe socket.
   */
  private final class Connection {
    private final int index;
    private final CountDownLatch handshakes;
    private final Semaphore inFlight;

    private NetSocket socket;
    private Buffer pending = Buffer.buffer();
    private boolean open;
    private boolean handshakeDone;
    private volatile CompletableFuture<String> echo;
    private volatile int closeCode = -1;

    Connection(int index, CountDownLatch handshakes, Semaphore inFlight) {
      this.index = index;
      this.handshakes = handshakes;
      this.inFlight = inFlight;
    }

    void start(NetSocket socket, byte[] request) {
      this.socket = socket;
      socket.handler(this::onData);
      socket.closeHandler(v -> onClosed());
      socket.exceptionHandler(e -> failures.add("connection " + index + ": " + e));
      socket.write(Buffer.buffer(request));
    }

    CompletableFuture<String> sendText(String text) {
      echo = new CompletableFuture<>();
      socket.write(Buffer.buffer(ClientFrames.text(text)));
      return echo;
    }

    void sendClose() {
      socket.write(Buffer.buffer(ClientFrames.close(1000, "")));
    }

    private void onData(Buffer data) {
      pending.appendBuffer(data);
      if (!open) {
        int end = indexOfEmptyLine(pending);
        if (end < 0) {
          return;
        }
        String head = pending.getString(0, end, "ISO-8859-1");
        if (head.startsWith("HTTP/1.1 101 ") && head.contains("\r\nSec-WebSocket-Accept: " + Handshakes.SAMPLE_ACCEPT)) {
          open = true;
          upgraded.incrementAndGet();
        } else {
          failures.add("connection " + index + " refused: " + head.lines().findFirst().orElse(""));
        }
        handshakeDone();
        pending = pending.getBuffer(end + 4, pending.length());
      }
      readFrames();
    }

    /** Server frames here are small: a 7 or 16-bit length, never masked. */
    private void readFrames() {
      while (pending.length() >= 2) {
        int b0 = pending.getUnsignedByte(0);
        int length = pending.getUnsignedByte(1);
        int headerSize = 2;
        if (length == 126) {
          if (pending.length() < 4) {
            return;
          }
          length = pending.getUnsignedShort(2);
          headerSize = 4;
        }
        if (pending.length() < headerSize + length) {
          return;
        }
        Buffer payload = pending.getBuffer(headerSize, headerSize + length);
        pending = pending.getBuffer(headerSize + length, pending.length());
        onFrame(b0 & 0x0F, payload);
      }
    }

    private void onFrame(int opcode, Buffer payload) {
      switch (opcode) {
        case ClientFrames.TEXT:
          CompletableFuture<String> waiting = echo;
          if (waiting != null) {
            waiting.complete(payload.toString(StandardCharsets.UTF_8));
          } else {
            failures.add("connection " + index + ": unexpected text " + payload);
          }
          break;
        case ClientFrames.PING:
          socket.write(Buffer.buffer(ClientFrames.pong(payload.getBytes())));
          break;
        case ClientFrames.CLOSE:
          closeCode = payload.length() >= 2 ? payload.getUnsignedShort(0) : -1;
          break;
        default:
          failures.add("connection " + index + ": unexpected opcode " + opcode);
      }
    }

    private void onClosed() {
      if (!handshakeDone) {
        fail("closed before the handshake completed");
      }
      closed.countDown();
    }

    void fail(String why) {
      failures.add("connection " + index + ": " + why);
      handshakeDone();
    }

    private void handshakeDone() {
      if (!handshakeDone) {
        handshakeDone = true;
        handshakes.countDown();
        inFlight.release();
      }
    }

    private int indexOfEmptyLine(Buffer buffer) {
      for (int i = 0; i + 3 < buffer.length(); i++) {
        if (buffer.getByte(i) == '\r' && buffer.getByte(i + 1) == '\n' && buffer.getByte(i + 2) == '\r'
            && buffer.getByte(i + 3) == '\n') {
          return i;
        }
      }
      return -1;
    }
  }
}
