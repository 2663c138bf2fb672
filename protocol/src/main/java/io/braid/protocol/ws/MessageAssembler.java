package io.braid.protocol.ws;

import io.vertx.core.buffer.Buffer;

/**
 * Joins the fragments of data messages (RFC 6455 §5.4) and passes control frames, which may arrive
 * between fragments, straight through. Sequencing, UTF-8 and size rules are already enforced by the
 * {@link FrameDecoder}; an unfragmented message is passed on without a copy.
 *
 * <p>Not thread safe: confine an instance to the connection's event loop.
 */
public final class MessageAssembler implements FrameSink {
  private final MessageSink sink;
  private int messageOpcode;
  private Buffer fragments;

  public MessageAssembler(MessageSink sink) {
    this.sink = sink;
  }

  @Override
  public void onFrame(WsFrame frame) {
    switch (frame.opcode()) {
      case Opcode.PING:
        sink.onPing(frame.payload());
        return;
      case Opcode.PONG:
        sink.onPong(frame.payload());
        return;
      case Opcode.CLOSE:
        sink.onClose(CloseReason.parse(frame.payload()));
        return;
      default:
        onDataFrame(frame);
    }
  }

  private void onDataFrame(WsFrame frame) {
    if (frame.opcode() != Opcode.CONTINUATION) {
      messageOpcode = frame.opcode();
      if (frame.fin()) {
        deliver(messageOpcode, frame.payload());
        return;
      }
      fragments = Buffer.buffer(Math.max(256, frame.payload().length() * 2));
    }
    fragments.appendBuffer(frame.payload());
    if (frame.fin()) {
      Buffer message = fragments;
      fragments = null;
      deliver(messageOpcode, message);
    }
  }

  private void deliver(int opcode, Buffer payload) {
    if (opcode == Opcode.TEXT) {
      sink.onText(payload);
    } else {
      sink.onBinary(payload);
    }
  }
}
