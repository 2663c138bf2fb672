package io.braid.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The delaying proxy: a round trip through it takes twice its delay, and bytes arrive whole and in order. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DelayProxyTest {

  @Test
  void aRoundTripTakesTwiceTheDelay() throws Exception {
    try (ServerSocket upstream = echoServer(); DelayProxy proxy = DelayProxy.start(upstream.getLocalPort(), 50);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      client.setTcpNoDelay(true);
      long start = System.nanoTime();
      client.getOutputStream().write(7);
      int echoed = client.getInputStream().read();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(echoed).isEqualTo(7);
      assertThat(millis).isGreaterThanOrEqualTo(100);
    }
  }

  @Test
  void bytesArriveWholeAndInOrderPastTheHighWaterMark() throws Exception {
    byte[] sent = new byte[3 * DelayProxy.HIGH_WATER];
    new Random(42).nextBytes(sent);
    try (ServerSocket upstream = echoServer(); DelayProxy proxy = DelayProxy.start(upstream.getLocalPort(), 5);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = client.getOutputStream();
          for (int at = 0; at < sent.length; at += 1_000) {
            out.write(sent, at, Math.min(1_000, sent.length - at)); // many small reads for the proxy
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "writer");
      writer.start();
      byte[] received = client.getInputStream().readNBytes(sent.length);
      writer.join(TimeUnit.SECONDS.toMillis(30));

      assertThat(received).isEqualTo(sent);
    }
  }

  /** A blocking echo server on a free loopback port, one thread per connection. */
  private static ServerSocket echoServer() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread echo = new Thread(() -> {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
              in.transferTo(out);
            } catch (Exception e) {
              // the test closed the connection
            }
          }, "echo");
          echo.setDaemon(true);
          echo.start();
        } catch (Exception e) {
          return; // closed
        }
      }
    }, "echo-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }
}
