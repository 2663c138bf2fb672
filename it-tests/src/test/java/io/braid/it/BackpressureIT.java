package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that writes to {@code /echo} but never reads its answers: once the server's write queue
 * for it is full, the server must stop reading from it, so what the client manages to write is
 * bounded by the TCP buffers plus the write queue, and server memory with it. Nothing is lost: when
 * the client finally reads, every echo arrives intact.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackpressureIT {
  private static final int WRITE_QUEUE_MAX_SIZE = 64 * 1024;
  private static final int PAYLOAD_SIZE = 60_000;
  /** Header of a server frame with a 16-bit length: 0x82, 126, two length bytes. */
  private static final int ECHO_HEADER_SIZE = 4;
  /**
   * Far more than the kernel buffers on both sides (tcp_rmem and tcp_wmem allow at most 32 + 4 MiB
   * per socket here) plus the write queue: a server that kept reading would pass it within seconds.
   */
  private static final long WRITE_BOUND = 128L * 1024 * 1024;
  private static final long STALL_MILLIS = 1_000;
  private static final long WRITE_PHASE_MILLIS = 15_000;

  private BraidServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.start(vertx, o -> o.writeQueueMaxSize(WRITE_QUEUE_MAX_SIZE));
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void serverStopsReadingFromClientThatDoesNotReadAndServesOthers() throws Exception {
    byte[] payload = new byte[PAYLOAD_SIZE];
    new Random(42).nextBytes(payload);
    ByteBuffer frame = ByteBuffer.wrap(ClientFrames.binary(payload));

    try (SocketChannel channel = SocketChannel.open(); Selector selector = Selector.open()) {
      // Small client buffers keep the bound tight; the server's side is what is under test.
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
      channel.connect(new InetSocketAddress(TestServers.HOST, server.actualPort()));
      handshake(channel, server.actualPort());
      channel.configureBlocking(false);

      long written = writeUntilStalled(channel, selector, frame);
      assertThat(written)
          .as("bytes written before the server stopped reading (write queue %d bytes)", WRITE_QUEUE_MAX_SIZE)
          .isGreaterThan(WRITE_QUEUE_MAX_SIZE)
          .isLessThan(WRITE_BOUND);

      // The stalled client harms no one else.
      EchoProbe.assertServesFreshClient(server.actualPort());

      // Reading again resumes the flow: every complete frame written comes back intact.
      long completeFrames = written / frame.capacity();
      readEchoes(channel, selector, completeFrames, payload);
    }
  }

  private static void handshake(SocketChannel channel, int port) throws IOException {
    String key = Handshakes.newKey();
    ByteBuffer request = ByteBuffer.wrap(Handshakes.request(port, "/echo", key).getBytes(StandardCharsets.ISO_8859_1));
    while (request.hasRemaining()) {
      channel.write(request);
    }
    channel.socket().setSoTimeout(RawClient.READ_TIMEOUT_MILLIS);
    StringBuilder head = new StringBuilder();
    var in = channel.socket().getInputStream();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("connection closed during the handshake").isNotNegative();
      head.append((char) b);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 101 ")
        .contains("Sec-WebSocket-Accept: " + Handshakes.expectedAccept(key));
  }

  /** Writes {@code frame} over and over until no byte could be written for {@link #STALL_MILLIS}. */
  private static long writeUntilStalled(SocketChannel channel, Selector selector, ByteBuffer frame) throws IOException {
    SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WRITE_PHASE_MILLIS);
    long lastProgress = System.nanoTime();
    long written = 0;
    ByteBuffer next = frame.duplicate();
    while (true) {
      int n = channel.write(next);
      long now = System.nanoTime();
      if (n > 0) {
        written += n;
        lastProgress = now;
        if (!next.hasRemaining()) {
          next = frame.duplicate();
        }
        assertThat(written).as("the server kept reading from a client that never reads").isLessThan(WRITE_BOUND);
      } else if (now - lastProgress > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
        key.cancel();
        selector.selectNow();
        return written;
      } else {
        selector.select(100);
        selector.selectedKeys().clear();
      }
      assertThat(now).as("writing did not stall within %d ms", WRITE_PHASE_MILLIS).isLessThan(deadline);
    }
  }

  /** Reads {@code frames} echo frames and checks every byte of each against the payload sent. */
  private static void readEchoes(SocketChannel channel, Selector selector, long frames, byte[] payload) throws IOException {
    byte[] expectedFrame = new byte[ECHO_HEADER_SIZE + payload.length];
    expectedFrame[0] = (byte) 0x82;
    expectedFrame[1] = 126;
    expectedFrame[2] = (byte) (payload.length >>> 8);
    expectedFrame[3] = (byte) payload.length;
    System.arraycopy(payload, 0, expectedFrame, ECHO_HEADER_SIZE, payload.length);

    long expectedBytes = frames * expectedFrame.length;
    long received = 0;
    ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    channel.register(selector, SelectionKey.OP_READ);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (received < expectedBytes) {
      assertThat(System.nanoTime()).as("only %d of %d echoed bytes arrived", received, expectedBytes).isLessThan(deadline);
      selector.select(100);
      selector.selectedKeys().clear();
      buffer.clear();
      int n = channel.read(buffer);
      assertThat(n).as("the server closed the connection after %d of %d echoed bytes", received, expectedBytes).isNotNegative();
      for (int i = 0; i < n && received < expectedBytes; i++, received++) {
        byte expected = expectedFrame[(int) (received % expectedFrame.length)];
        if (buffer.get(i) != expected) {
          throw new AssertionError("echo differs at byte " + received + " of the echo stream (frame "
              + received / expectedFrame.length + ")");
        }
      }
    }
  }
}
