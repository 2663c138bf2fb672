package io.braid.protocol.ws.deflate;

import io.braid.protocol.codec.Utf8Validator;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.FrameSink;
import io.braid.protocol.ws.Opcode;
import io.braid.protocol.ws.WsFrame;
import io.braid.protocol.ws.WsProtocolException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Sits between a {@link io.braid.protocol.ws.FrameDecoder} and the next sink: each frame of a
 * compressed message is passed on inflated, with its fragmentation kept, and the text of a
 * compressed text message is checked for UTF-8 as it inflates (1007 otherwise). Uncompressed
 * messages and control frames pass through untouched.
 *
 * <p>Not thread safe: confine to the connection's event loop.
 */
final class InflatingFrameSink implements FrameSink {
  private final FrameSink next;
  private final MessageInflater inflater;
  private final Utf8Validator utf8 = new Utf8Validator();
  private boolean compressedMessage;
  private boolean textMessage;

  InflatingFrameSink(FrameSink next, MessageInflater inflater) {
    this.next = next;
    this.inflater = inflater;
  }

  @Override
  public void onFrame(WsFrame frame) {
    if (frame.isControl()) {
      next.onFrame(frame);
      return;
    }
    if (frame.opcode() != Opcode.CONTINUATION) {
      compressedMessage = frame.compressed();
      textMessage = frame.opcode() == Opcode.TEXT;
      utf8.reset();
    }
    if (!compressedMessage) {
      next.onFrame(frame);
      return;
    }
    Buffer payload = inflater.inflate(frame.payload(), frame.fin());
    if (textMessage) {
      checkUtf8(payload, frame.fin());
    }
    next.onFrame(new WsFrame(frame.fin(), frame.opcode(), payload));
  }

  /** Checks the inflated text where it lies: the inflater's output is always a heap array. */
  private void checkUtf8(Buffer text, boolean fin) {
    ByteBuf buf = ((BufferInternal) text).getByteBuf();
    if (!utf8.update(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes())
        || (fin && !utf8.isComplete())) {
      throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "compressed text message is not valid UTF-8");
    }
  }
}
