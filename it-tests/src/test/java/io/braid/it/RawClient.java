package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.awaitility.Awaitility;

/**
 * A WebSocket client made of a blocking {@link Socket} and nothing else: it writes whatever bytes a
 * test gives it and reads the server's answer byte for byte. Every read waits at most
 * {@link #READ_TIMEOUT_MILLIS}, so a server that stays silent fails the test instead of hanging it.
 *
 * <p>Writes may come from several threads; reads from one thread at a time.
 */
final class RawClient implements AutoCloseable {
  static final int READ_TIMEOUT_MILLIS = 5_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens a TCP connection only. */
  static RawClient connect(int port) {
    try {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.connect(new InetSocketAddress(TestServers.HOST, port), READ_TIMEOUT_MILLIS);
      return new RawClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens a TCP connection and completes a valid handshake to {@code path}, checking the 101. */
  static RawClient open(int port, String path) {
    RawClient client = connect(port);
    String key = Handshakes.newKey();
    client.write(Handshakes.request(port, path, key));
    client.assertSwitchingProtocols(client.readResponseHead(), key);
    return client;
  }

  void assertSwitchingProtocols(HttpResponse response, String key) {
    assertThat(response.statusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
    assertThat(response.header("Upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(response.header("Connection")).isEqualToIgnoringCase("Upgrade");
    assertThat(response.header("Sec-WebSocket-Accept")).isEqualTo(Handshakes.expectedAccept(key));
  }

  synchronized void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(String ascii) {
    write(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes each byte in a TCP segment of its own (Nagle is off). */
  void writeOneByteAtATime(byte[] bytes) {
    for (byte b : bytes) {
      write(new byte[] {b});
    }
  }

  /**
   * Waits (bounded) until the server's bytes have arrived in this socket's receive buffer, without
   * reading them.
   */
  void awaitUnreadBytes() {
    Awaitility.await().atMost(Duration.ofMillis(READ_TIMEOUT_MILLIS)).until(() -> in.available() > 0);
  }

  /** Reads a response head up to its empty line; what follows it stays unread. */
  HttpResponse readResponseHead() {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!endsWithEmptyLine(head)) {
      int b = read();
      if (b < 0) {
        throw new AssertionError("connection closed inside the response head: '" + latin1(head.toByteArray()) + "'");
      }
      head.write(b);
    }
    byte[] bytes = head.toByteArray();
    return HttpResponse.parse(latin1(Arrays.copyOf(bytes, bytes.length - 4)), new byte[0]);
  }

  /** Reads a whole response up to the end of the stream, which the server must reach by closing. */
  HttpResponse readResponseUntilClosed() {
    byte[] all = readUntilClosed();
    String text = latin1(all);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("no complete response head before the server closed: '" + text + "'");
    }
    return HttpResponse.parse(text.substring(0, end), Arrays.copyOfRange(all, end + 4, all.length));
  }

  /** Every byte until the server closes the connection; fails if it has not within the read timeout. */
  byte[] readUntilClosed() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int b = read(); b >= 0; b = read()) {
      all.write(b);
    }
    return all.toByteArray();
  }

  /** Reads one frame as sent by the server. */
  ServerFrame readFrame() {
    int b0 = read();
    int b1 = read();
    if (b0 < 0 || b1 < 0) {
      throw new AssertionError("connection closed where a frame header was expected");
    }
    long length = b1 & 0x7F;
    if (length == 126) {
      length = readLong(2);
    } else if (length == 127) {
      length = readLong(8);
    }
    if (length > Integer.MAX_VALUE - 8) {
      throw new AssertionError("server frame length " + length + " is out of range");
    }
    boolean masked = (b1 & 0x80) != 0;
    byte[] key = masked ? readBytes(4) : null;
    byte[] payload = readBytes((int) length);
    if (masked) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= key[i & 3];
      }
    }
    return new ServerFrame((b0 & 0x80) != 0, (b0 >>> 4) & 0x7, b0 & 0x0F, masked, payload);
  }

  /**
   * Asserts that the server closes the TCP connection (a clean end of stream, no more bytes) within
   * the read timeout.
   */
  void assertClosedByServer() {
    int b = read();
    assertThat(b).as("the server must close TCP and send nothing more, but sent byte 0x%02x", b & 0xFF).isEqualTo(-1);
  }

  /** One byte, or -1 at the end of the stream; fails the test when nothing comes within the timeout. */
  int read() {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("nothing received from the server within " + READ_TIMEOUT_MILLIS + " ms", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] readBytes(int n) {
    try {
      byte[] bytes = in.readNBytes(n);
      if (bytes.length < n) {
        throw new AssertionError("connection closed after " + bytes.length + " of " + n + " frame bytes");
      }
      return bytes;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("frame incomplete after " + READ_TIMEOUT_MILLIS + " ms", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long readLong(int bytes) {
    long v = 0;
    for (byte b : readBytes(bytes)) {
      v = (v << 8) | (b & 0xFF);
    }
    return v;
  }

  private static boolean endsWithEmptyLine(ByteArrayOutputStream head) {
    byte[] b = head.toByteArray();
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
