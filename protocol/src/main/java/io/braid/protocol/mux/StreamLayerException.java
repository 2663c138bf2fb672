package io.braid.protocol.mux;

/**
 * A connection error of the stream layer, raised by the frame codecs: the connection must be ended
 * with GOAWAY carrying {@link #errorCode()}, then WebSocket close 1002. Has no stack trace: bad
 * input is an expected outcome, not a bug.
 */
public final class StreamLayerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long errorCode;

  public StreamLayerException(long errorCode, String reason) {
    super(reason, null, false, false);
    this.errorCode = errorCode;
  }

  public long errorCode() {
    return errorCode;
  }

  public String reason() {
    return getMessage();
  }
}
