package io.braid.protocol.codec;

/**
 * Bytes or JSON that do not decode: names the field being read and the rule it breaks, e.g.
 * {@code "PUBLISH.topic: not valid UTF-8"}. The only exception the decoders throw for bad input;
 * it has no stack trace since bad input is an expected outcome, not a bug.
 */
public final class MalformedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  public MalformedException(String field, String reason) {
    super(field + ": " + reason, null, false, false);
    this.field = field;
    this.reason = reason;
  }

  /** The field being decoded, e.g. {@code PUBLISH.topic} or {@code frame.length}. */
  public String field() {
    return field;
  }

  /** The rule the input breaks, e.g. {@code varint longer than 5 bytes}. */
  public String reason() {
    return reason;
  }
}
