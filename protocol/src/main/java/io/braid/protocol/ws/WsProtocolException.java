package io.braid.protocol.ws;

/**
 * A violation of RFC 6455 by the peer, carrying the close code to fail the connection with
 * (RFC 6455 §7.1.7) and a short reason that names the broken rule.
 *
 * <p>This is the only exception the codecs in this package throw for bad input. It has no stack
 * trace: it is an expected outcome of untrusted input, not a bug.
 */
public final class WsProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int closeCode;

  public WsProtocolException(int closeCode, String reason) {
    super(reason, null, false, false);
    this.closeCode = closeCode;
  }

  /** The close code to send to the peer, one of {@link CloseCodes}. */
  public int closeCode() {
    return closeCode;
  }

  /** The reason to send in the close frame; always short enough for a control frame. */
  public String reason() {
    return getMessage();
  }
}
