package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import org.awaitility.Awaitility;

/**
 * A raw MQTT client for byte-level tests: writes hex exactly as given and reads whole packets (fixed header and
 * body), with bounded waits. Knows nothing of MQTT beyond the fixed header, so the broker cannot agree with it by
 * sharing a bug.
 */
final class MqttWire implements AutoCloseable {

  private static final HexFormat HEX = HexFormat.of();
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  MqttWire(int port) throws IOException {
    this.socket = new Socket(TestServers.HOST, port);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Sends bytes given as hex; spaces are ignored. */
  MqttWire send(String hex) throws IOException {
    out.write(HEX.parseHex(hex.replace(" ", "")));
    out.flush();
    return this;
  }

  /** Waits (bounded) until the broker's bytes have arrived in this socket's receive buffer, without reading them. */
  MqttWire awaitUnreadBytes() {
    Awaitility.await().atMost(Duration.ofMillis(READ_TIMEOUT_MILLIS)).until(() -> in.available() > 0);
    return this;
  }

  /** The next whole packet, fixed header included, as lowercase hex without spaces. */
  String readPacket() throws IOException {
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    int first = in.readUnsignedByte();
    packet.write(first);
    int length = 0;
    for (int shift = 0; ; shift += 7) {
      int b = in.readUnsignedByte();
      packet.write(b);
      length |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    byte[] body = new byte[length];
    in.readFully(body);
    packet.write(body);
    return HEX.formatHex(packet.toByteArray());
  }

  /** Asserts that the broker closes the connection (after any packets it sends first), within the read timeout. */
  void assertClosed() throws IOException {
    InputStream raw = socket.getInputStream();
    try {
      byte[] rest = raw.readAllBytes();
      assertThat(rest).as("bytes before the close: %s", HEX.formatHex(rest)).isEmpty();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the broker did not close the connection within " + READ_TIMEOUT_MILLIS + " ms", e);
    } catch (SocketException e) {
      // reset by the broker: closed as well
    }
  }

  /** Reads packets until the close, returning the last one; fails if there is none. */
  String lastPacketBeforeClose() throws IOException {
    String last = null;
    try {
      while (true) {
        last = readPacket();
      }
    } catch (EOFException | SocketException e) {
      assertThat(last).as("a packet before the close").isNotNull();
      return last;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
