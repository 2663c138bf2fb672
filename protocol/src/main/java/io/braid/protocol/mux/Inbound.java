package io.braid.protocol.mux;

/**
 * What the {@link Multiplexer} made of a received frame: what the owner of the connection must do
 * next. Errors are values, not exceptions, so nothing escapes to the event loop.
 */
public sealed interface Inbound {
  /** A message to process. {@code opened}: the first frame of a stream the peer just opened. */
  record Message(StreamFrame.Data frame, boolean opened) implements Inbound {}

  /** The frame was handled inside the stream layer (settings, credit); nothing to do. */
  record Handled() implements Inbound {}

  /** The peer granted credit: DATA may flow again on {@code streamId} (0: on every stream). */
  record CreditGranted(int streamId) implements Inbound {}

  /** The peer reset a stream: drop its state; it is closed. */
  record StreamReset(int streamId, long errorCode) implements Inbound {}

  /** The peer is going away: open no new streams; locally opened streams above the id were dropped. */
  record PeerGoingAway(StreamFrame.GoAway frame) implements Inbound {}

  /** A frame on a stream this side reset recently; dropped as RFC 9113 §5.4.2 allows. */
  record Ignored(String reason) implements Inbound {}

  /** A stream error: send RESET(streamId, errorCode); the stream is now closed. */
  record StreamError(int streamId, long errorCode, String reason) implements Inbound {}

  /** A connection error: send GOAWAY(lastPeerStreamId, errorCode, reason), then close. */
  record ConnectionError(long errorCode, String reason) implements Inbound {}
}
