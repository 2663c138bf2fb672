package io.braid.protocol.endpoint;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.mux.StreamFrame;

/**
 * What a {@link StreamEndpoint} tells its owner, on the owner's thread, as it takes in the peer's WebSocket
 * messages. The endpoint has already done what the protocol requires (RESET a failed stream, GOAWAY on a connection
 * error, flush credit-blocked messages): the owner reacts with its own state and, where said, ends the WebSocket.
 */
public interface EndpointListener {

  /**
   * A message, decoded and correctly placed (PROTOCOL.md 6.1). {@code opened}: it opened its stream. The owner calls
   * {@link StreamEndpoint#consumed} once done with it, or {@link StreamEndpoint#answer} for the answer that
   * consumes it, so that the peer's credit comes back only then.
   */
  void onMessage(int streamId, boolean opened, boolean endStream, BraidMessage message);

  /**
   * A message on stream 0 that does not decode or is misplaced: {@code reasonCode} is 0x81 or 0x82. The connection
   * cannot go on; the owner answers (DISCONNECT, or CONNACK before CONNECT was accepted) and closes with 1002. On
   * another stream the endpoint resets just that stream instead ({@link #onStreamError}).
   */
  void onControlError(int reasonCode, String reason);

  /**
   * The stream layer broke: the endpoint sent GOAWAY with {@code errorCode}; the owner closes the WebSocket with
   * 1002. Nothing more is taken in.
   */
  void onConnectionError(long errorCode, String reason);

  /**
   * A WebSocket message of the wrong kind for the subprotocol (text on {@code braid.v1} or the reverse): the owner
   * closes with 1003. Nothing more is taken in.
   */
  void onWrongMessageKind(String reason);

  /**
   * The endpoint reset a stream for an error of the peer's ({@code refused_stream}, {@code flow_control_error},
   * {@code message_error} for a message that does not decode or is misplaced, ...): for the owner's log and metrics.
   */
  default void onStreamError(int streamId, long errorCode, String reason) {
  }

  /** The peer reset a stream. */
  default void onPeerReset(int streamId, long errorCode) {
  }

  /** Credit arrived on {@code streamId} (0: the connection): messages waiting for it have been sent. */
  default void onCredit(int streamId) {
  }

  /** A stream reached CLOSED, by either side: whatever the owner keeps for it can go. Once per stream. */
  default void onStreamClosed(int streamId) {
  }

  /** The peer sent GOAWAY: it opens no new streams, and those of this side above its last id were not processed. */
  default void onGoAway(StreamFrame.GoAway goAway) {
  }
}
