package io.braid.protocol.endpoint;

import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.JsonMessageCodec;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamLayerException;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Stream frames over WebSocket messages, as a subprotocol carries them: {@code braid.v1} batches whole binary frames
 * into binary messages, {@code braid.v1.json} sends one frame per text message. Not thread safe.
 */
interface FrameWire {

  /**
   * Decodes the frames of one WebSocket message, in order.
   *
   * @throws StreamLayerException for a malformed frame (a connection error)
   * @throws WrongMessageKind for a message of the other subprotocol's kind
   */
  void decode(boolean text, Buffer message, Consumer<StreamFrame> sink);

  /** Writes a frame, at once or in the current batch. */
  void write(StreamFrame frame);

  /** Writes the current batch, if any. */
  void flush();

  /** The size of {@code frame} as the peer's {@code maxFramePayload} counts it. */
  int sizeOf(StreamFrame.Data frame);

  /**
   * The wire of {@code subprotocol}; {@code maxFramePayload} is what this side accepts. {@code flushLater} runs a
   * flush after the work at hand (Vert.x: later in the same event-loop turn), so that the frames written meanwhile
   * travel in one WebSocket message.
   */
  static FrameWire of(String subprotocol, int maxFramePayload, WebSocketOut out, Executor flushLater) {
    if (BinaryMessageCodec.SUBPROTOCOL.equals(subprotocol)) {
      return new BinaryFrameWire(maxFramePayload, out, flushLater);
    }
    if (JsonMessageCodec.SUBPROTOCOL.equals(subprotocol)) {
      return new JsonFrameWire(maxFramePayload, out);
    }
    throw new IllegalArgumentException("not a Braid subprotocol: " + subprotocol);
  }

  /** A WebSocket message of the wrong kind for the subprotocol. */
  final class WrongMessageKind extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WrongMessageKind(String message) {
      super(message, null, false, false);
    }
  }
}
