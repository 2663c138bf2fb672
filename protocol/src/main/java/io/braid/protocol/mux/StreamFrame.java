package io.braid.protocol.mux;

import io.vertx.core.buffer.Buffer;

/**
 * A frame of the stream layer. Every frame belongs to a stream; stream 0 is the connection's
 * control stream. See docs/PROTOCOL.md, "Streams".
 */
public sealed interface StreamFrame {
  int TYPE_DATA = 0x0;
  int TYPE_RESET = 0x1;
  int TYPE_SETTINGS = 0x2;
  int TYPE_WINDOW_UPDATE = 0x3;
  int TYPE_GOAWAY = 0x4;

  /** The DATA flag that ends the sender's side of a stream. */
  int FLAG_END_STREAM = 0x1;

  /** Largest stream id: ids are unsigned 31-bit. */
  int MAX_STREAM_ID = Integer.MAX_VALUE;

  int streamId();

  /**
   * One message on a stream. The payload is the encoded message in the connection's codec
   * (binary for {@code braid.v1}, the text of a JSON object for {@code braid.v1.json}).
   *
   * @param endStream whether the sender will send nothing more on this stream
   */
  record Data(int streamId, boolean endStream, Buffer payload) implements StreamFrame {}

  /** Closes a stream at once, in both directions, with an {@link ErrorCode}. */
  record Reset(int streamId, long errorCode) implements StreamFrame {}

  /** The sender's settings; on stream 0, once per side, as the first frame it sends. */
  record Settings(StreamSettings settings) implements StreamFrame {
    @Override
    public int streamId() {
      return 0;
    }
  }

  /** Grants the receiver {@code increment} more DATA frames on a stream, or on the connection (0). */
  record WindowUpdate(int streamId, int increment) implements StreamFrame {}

  /**
   * The sender will accept no new streams; streams the receiver opened with ids above
   * {@code lastStreamId} were not processed and may be retried on another connection.
   *
   * @param errorCode {@link ErrorCode#NO_ERROR} for a graceful shutdown
   * @param reason a short text for people, may be empty
   * @param serverReference where to reconnect (host:port or URI), or null
   */
  record GoAway(int lastStreamId, long errorCode, String reason, String serverReference) implements StreamFrame {
    @Override
    public int streamId() {
      return 0;
    }
  }
}
