package io.braid.protocol.ws;

import io.vertx.core.buffer.Buffer;

/** Receives what a {@link MessageAssembler} assembles, in wire order. */
public interface MessageSink {
  /** A complete text message; its payload is valid UTF-8. */
  void onText(Buffer utf8);

  void onBinary(Buffer data);

  void onPing(Buffer payload);

  void onPong(Buffer payload);

  void onClose(CloseReason reason);
}
