package io.braid.protocol.mux;

/** The lifecycle of a stream, as in HTTP/2 (RFC 9113 §5.1), seen from one side. */
public enum StreamState {
  /** Not used yet; every id starts here. */
  IDLE,
  /** Both sides may send DATA. */
  OPEN,
  /** This side sent END_STREAM; only the peer may still send DATA. */
  HALF_CLOSED_LOCAL,
  /** The peer sent END_STREAM; only this side may still send DATA. */
  HALF_CLOSED_REMOTE,
  /** Both sides ended, or one reset the stream. The id is never used again. */
  CLOSED
}
