package io.braid.it;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets for an MQTT client library (Paho takes a {@link SocketFactory}) that let a test see what the client
 * wrote and cut the connection under it: {@link #sent()} is every byte written so far, {@link #cut()} closes the
 * sockets with no MQTT DISCONNECT, as a crashed client or a lost network does. Thread safe.
 */
final class TappedSocketFactory extends SocketFactory {

  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  @Override
  public Socket createSocket() {
    Socket socket = new TappedSocket();
    sockets.add(socket);
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new java.net.InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new java.net.InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new java.net.InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new java.net.InetSocketAddress(address, port));
  }

  private Socket connected(java.net.InetSocketAddress address) throws IOException {
    Socket socket = createSocket();
    socket.connect(address, 10_000);
    return socket;
  }

  /** Every byte the client wrote on any of the sockets, in the order written. */
  byte[] sent() {
    synchronized (sent) {
      return sent.toByteArray();
    }
  }

  /** Closes every socket at once: the broker sees the connection end without a DISCONNECT packet. */
  void cut() throws IOException {
    for (Socket socket : sockets) {
      socket.setSoLinger(true, 0); // RST: nothing the client still has buffered goes out
      socket.close();
    }
  }

  private final class TappedSocket extends Socket {
    private OutputStream out;

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        out = new FilterOutputStream(super.getOutputStream()) {
          @Override
          public void write(int b) throws IOException {
            synchronized (sent) {
              sent.write(b);
            }
            super.out.write(b);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) throws IOException {
            synchronized (sent) {
              sent.write(bytes, offset, length);
            }
            super.out.write(bytes, offset, length);
          }
        };
      }
      return out;
    }
  }
}
