package io.braid.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto ({@code /usr/sbin/mosquitto}, package {@code mosquitto}) as the peer broker of the MQTT load
 * runs, on loopback: TCP_NODELAY on, as Braid's listeners have it, and its queue and in-flight limits raised so
 * that it queues rather than drops what a persistent subscriber has not taken yet (Mosquitto's defaults drop past
 * 1,000 queued messages per client). Persistence stays off, Mosquitto's default: it keeps QoS 1 messages in memory
 * only, where Braid acknowledges a message queued for a persistent session after an fsync'd commit.
 */
final class MosquittoProcess implements AutoCloseable {

  static final String BINARY = "/usr/sbin/mosquitto";

  private final Process process;
  private final Path config;
  private final int port;

  private MosquittoProcess(Process process, Path config, int port) {
    this.process = process;
    this.config = config;
    this.port = port;
  }

  static MosquittoProcess start() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path config = Files.createTempFile("mosquitto-load", ".conf");
    Files.write(config, List.of(
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "set_tcp_nodelay true",
        "max_queued_messages 1000000",
        "max_queued_bytes 0",
        "max_inflight_messages 1000",
        "max_keepalive 65535",
        "persistence false",
        "log_type error",
        "log_dest stderr"), StandardCharsets.UTF_8);
    Process process = new ProcessBuilder(BINARY, "-c", config.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return new MosquittoProcess(process, config, port);
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("mosquitto did not start on port " + port + " (install Debian's "
              + "mosquitto package)", notYet);
        }
        Thread.sleep(20); // start-up poll of a child process, not a test
      }
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(config);
  }
}
