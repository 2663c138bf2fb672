package io.braid.protocol.handshake;

/**
 * A handshake that cannot succeed. On the server it carries the HTTP status to refuse with; on the
 * client the status is that of the parse failure (400 for a malformed response) and only the reason
 * matters.
 */
public final class HandshakeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public HandshakeException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  /** The HTTP status code: 400, 403, 404, 426 or 431. */
  public int status() {
    return status;
  }

  public String reason() {
    return getMessage();
  }
}
