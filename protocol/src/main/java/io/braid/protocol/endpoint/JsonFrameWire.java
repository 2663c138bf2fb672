package io.braid.protocol.endpoint;

import io.braid.protocol.mux.JsonFrameCodec;
import io.braid.protocol.mux.StreamFrame;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** {@code braid.v1.json}: one frame per text message, written at once. */
final class JsonFrameWire implements FrameWire {

  private final JsonFrameCodec codec;
  private final WebSocketOut out;

  JsonFrameWire(int maxFramePayload, WebSocketOut out) {
    this.codec = new JsonFrameCodec(maxFramePayload);
    this.out = out;
  }

  @Override
  public void decode(boolean text, Buffer message, Consumer<StreamFrame> sink) {
    if (!text) {
      throw new WrongMessageKind("braid.v1.json carries text messages only");
    }
    sink.accept(codec.decode(message));
  }

  @Override
  public void write(StreamFrame frame) {
    out.send(true, JsonFrameCodec.encode(frame));
  }

  @Override
  public void flush() {
  }

  @Override
  public int sizeOf(StreamFrame.Data frame) {
    return JsonFrameCodec.encodedLength(frame);
  }
}
