package io.braid.protocol.ws;

/**
 * Size limits enforced while decoding. A frame or message past its limit fails the connection with
 * close code 1009 before any of its payload is buffered.
 *
 * @param maxFramePayload largest payload of a single frame, in bytes
 * @param maxMessageSize largest total payload of a (possibly fragmented) message, in bytes
 */
public record WsLimits(int maxFramePayload, int maxMessageSize) {
  /** 16 MiB for both: enough for the largest Autobahn cases, small enough to bound memory. */
  public static final int DEFAULT_MAX = 16 * 1024 * 1024;

  public static final WsLimits DEFAULT = new WsLimits(DEFAULT_MAX, DEFAULT_MAX);

  public WsLimits {
    if (maxFramePayload < 125) {
      throw new IllegalArgumentException("maxFramePayload must be >= 125 (control frames), was " + maxFramePayload);
    }
    if (maxMessageSize < 0) {
      throw new IllegalArgumentException("maxMessageSize must be >= 0, was " + maxMessageSize);
    }
  }
}
