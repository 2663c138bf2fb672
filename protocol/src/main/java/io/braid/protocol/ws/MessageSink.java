package io.braid.protocol.ws;

import io.vertx.core.buffer.Buffer;

/** Receives what a {@link MessageAssembler} assembles, in wire order. */
public interface MessageSink {
  /** A complete text message; its payload is valid UTF-8. */
  void onText(Buffer utf8);

  void onBinary(Buffer data);

  default void onPing(Buffer payload) {}

  default void onPong(Buffer payload) {}

  default void onClose(CloseReason reason) {}
}
