package io.braid.client;

/** The server's handshake response broke RFC 6455 §4.1 or refused the connection. */
public final class WsHandshakeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WsHandshakeException(String message) {
    super(message);
  }
}
