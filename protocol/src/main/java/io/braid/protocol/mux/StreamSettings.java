package io.braid.protocol.mux;

/**
 * What one side of a connection allows the other, sent once in its SETTINGS frame. Until a side has
 * received the peer's SETTINGS it assumes {@link #DEFAULTS}; windows may only be raised above the
 * defaults, so frames sent under the defaults are never invalidated later.
 *
 * @param initialStreamWindow DATA frames the peer may send on a stream before credit is granted
 * @param initialConnectionWindow DATA frames the peer may send on all streams together
 * @param maxConcurrentStreams streams the peer may have open at once that it initiated
 * @param maxFramePayload largest frame payload in bytes the peer may send
 */
public record StreamSettings(int initialStreamWindow, int initialConnectionWindow, int maxConcurrentStreams, int maxFramePayload) {
  public static final int ID_INITIAL_STREAM_WINDOW = 0x1;
  public static final int ID_INITIAL_CONNECTION_WINDOW = 0x2;
  public static final int ID_MAX_CONCURRENT_STREAMS = 0x3;
  public static final int ID_MAX_FRAME_PAYLOAD = 0x4;

  /** Largest window: credit is a signed 31-bit count, as in HTTP/2. */
  public static final int MAX_WINDOW = Integer.MAX_VALUE;
  /** Smallest allowed max frame payload: room for any control frame and a small message. */
  public static final int MIN_FRAME_PAYLOAD = 1024;

  public static final StreamSettings DEFAULTS = new StreamSettings(32, 256, 100, 1024 * 1024);

  public StreamSettings {
    if (initialStreamWindow < 1 || initialConnectionWindow < 1 || maxConcurrentStreams < 0 || maxFramePayload < MIN_FRAME_PAYLOAD) {
      throw new IllegalArgumentException("invalid stream settings " + initialStreamWindow + "/"
          + initialConnectionWindow + "/" + maxConcurrentStreams + "/" + maxFramePayload);
    }
  }

  /** Checks the values a peer may advertise; returns the broken rule or null. */
  String violation() {
    if (initialStreamWindow < DEFAULTS.initialStreamWindow) {
      return "initial stream window " + initialStreamWindow + " below the default " + DEFAULTS.initialStreamWindow;
    }
    if (initialConnectionWindow < DEFAULTS.initialConnectionWindow) {
      return "initial connection window " + initialConnectionWindow + " below the default " + DEFAULTS.initialConnectionWindow;
    }
    return null;
  }
}
