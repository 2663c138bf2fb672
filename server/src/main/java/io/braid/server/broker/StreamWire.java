package io.braid.server.broker;

import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.FrameBatcher;
import io.braid.protocol.mux.JsonFrameCodec;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.ws.Opcode;
import io.braid.server.WsChannel;
import io.braid.server.metrics.BrokerMetrics;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * The stream layer's frames over one WebSocket, in the connection's subprotocol: {@code braid.v1} carries whole
 * binary frames batched into binary messages (frames sent during one event-loop turn travel together),
 * {@code braid.v1.json} one frame per text message. Confined to the connection's event loop.
 */
final class StreamWire {

  /** A WebSocket message of the wrong kind for the subprotocol (text on {@code braid.v1} or the reverse). */
  static final class WrongMessageKind extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WrongMessageKind(String message) {
      super(message, null, false, false);
    }
  }

  private final WsChannel channel;
  private final Context context;
  private final BrokerMetrics metrics;
  private final boolean json;
  private final BinaryFrameCodec binary;
  private final JsonFrameCodec text;
  private final FrameBatcher batcher;
  private final Consumer<Buffer> writeBinary;
  private boolean flushScheduled;

  StreamWire(WsChannel channel, Context context, BrokerMetrics metrics, int maxFramePayload) {
    this.channel = channel;
    this.context = context;
    this.metrics = metrics;
    this.json = !BinaryMessageCodec.SUBPROTOCOL.equals(channel.subprotocol());
    this.binary = new BinaryFrameCodec(maxFramePayload);
    this.text = new JsonFrameCodec(maxFramePayload);
    this.batcher = new FrameBatcher(64 * 1024);
    this.writeBinary = message -> {
      metrics.bytesSent(message.length());
      channel.sendBinary(message);
    };
  }

  /**
   * Decodes the frames of one WebSocket message, in order.
   *
   * @throws io.braid.protocol.mux.StreamLayerException for a malformed frame (a connection error)
   * @throws WrongMessageKind for a message of the other subprotocol's kind
   */
  void decode(boolean isText, Buffer message, Consumer<StreamFrame> sink) {
    metrics.bytesReceived(message.length());
    if (isText != json) {
      throw new WrongMessageKind(json ? "braid.v1.json carries text messages only"
          : "braid.v1 carries binary messages only");
    }
    if (json) {
      sink.accept(text.decode(message));
    } else {
      binary.decode(message, sink);
    }
  }

  /**
   * The size of {@code frame} as the peer's {@code maxFramePayload} counts it: the payload of a binary frame, the
   * whole text of a JSON one.
   */
  int framePayloadSize(StreamFrame.Data frame) {
    return json ? JsonFrameCodec.encodedLength(frame) : frame.payload().length();
  }

  /** Sends a frame: at once as a text message, or batched into the binary message flushed at the end of the turn. */
  void send(StreamFrame frame) {
    if (json) {
      Buffer encoded = JsonFrameCodec.encode(frame);
      metrics.bytesSent(encoded.length());
      channel.send(Opcode.TEXT, true, encoded);
      return;
    }
    batcher.add(frame, writeBinary);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  /** Writes what is batched now. */
  void flush() {
    flushScheduled = false;
    batcher.flush(writeBinary);
  }
}
