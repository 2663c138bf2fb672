package io.braid.client;

/**
 * Why a call of the Braid SDK failed: one subclass per kind of failure, so that an application can tell a refusal by
 * the broker from a timeout or a closed client. Unchecked; immutable.
 */
public abstract sealed class BraidException extends RuntimeException permits BraidException.Refused,
    BraidException.NotAuthorized, BraidException.ProtocolError, BraidException.Timeout, BraidException.Closed,
    BraidException.OutboxFull {

  private static final long serialVersionUID = 1L;

  BraidException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The broker refused: a CONNACK, SUBACK, or acknowledgement of a publish with an MQTT 5 reason code of 0x80 or
   * more (other than "not authorized", {@link NotAuthorized}).
   */
  public static final class Refused extends BraidException {
    private static final long serialVersionUID = 1L;
    private final int reasonCode;

    public Refused(int reasonCode, String message) {
      super(message, null);
      this.reasonCode = reasonCode;
    }

    /** The MQTT 5 reason code the broker answered with. */
    public int reasonCode() {
      return reasonCode;
    }
  }

  /** The broker refused for lack of rights: bad credentials (0x86), not authorized (0x87), banned (0x8A). */
  public static final class NotAuthorized extends BraidException {
    private static final long serialVersionUID = 1L;
    private final int reasonCode;

    public NotAuthorized(int reasonCode, String message) {
      super(message, null);
      this.reasonCode = reasonCode;
    }

    public int reasonCode() {
      return reasonCode;
    }
  }

  /** The broker, or this client, broke the protocol: the connection was failed. */
  public static final class ProtocolError extends BraidException {
    private static final long serialVersionUID = 1L;

    public ProtocolError(String message) {
      super(message, null);
    }
  }

  /** No answer in time (connect, a blocking call). */
  public static final class Timeout extends BraidException {
    private static final long serialVersionUID = 1L;

    public Timeout(String message) {
      super(message, null);
    }
  }

  /** The client was closed (by the application, or for good after its reconnect policy gave up). */
  public static final class Closed extends BraidException {
    private static final long serialVersionUID = 1L;

    public Closed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A publish made while disconnected found the outbox full (policy {@link OutboxPolicy#FAIL}, or timed out). */
  public static final class OutboxFull extends BraidException {
    private static final long serialVersionUID = 1L;

    public OutboxFull(String message) {
      super(message, null);
    }
  }

  /** The exception for a negative reason code: {@link NotAuthorized} for 0x86, 0x87 and 0x8A, else {@link Refused}. */
  static BraidException refusal(int reasonCode, String what, String reason) {
    String message = what + " refused with reason code 0x" + Integer.toHexString(reasonCode)
        + (reason == null ? "" : ": " + reason);
    return reasonCode == 0x86 || reasonCode == 0x87 || reasonCode == 0x8A ? new NotAuthorized(reasonCode, message)
        : new Refused(reasonCode, message);
  }
}
