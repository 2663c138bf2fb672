package io.braid.protocol.endpoint;

/** What became of a message given to {@link StreamEndpoint#send}. */
public enum SendResult {
  /** Written (batched into the next WebSocket message in {@code braid.v1}). */
  SENT,
  /** Waiting for credit on its stream, behind the messages queued before it; it goes out in order. */
  QUEUED,
  /** Larger than the peer's {@code maxFramePayload}: never sent. */
  TOO_LARGE,
  /** The stream cannot carry it any more (this side ended or reset it): dropped. */
  CLOSED
}
