package io.braid.protocol.message;

import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;

/**
 * Turns {@link BraidMessage}s into the payload of a DATA frame and back: {@link BinaryMessageCodec}
 * for subprotocol {@code braid.v1}, {@link JsonMessageCodec} for {@code braid.v1.json}. Both are
 * stateless and thread safe.
 */
public interface MessageCodec {
  /** The WebSocket subprotocol this codec serves. */
  String subprotocol();

  /** One message as a new buffer. */
  Buffer encode(BraidMessage message);

  /** Appends one message to {@code out} and returns {@code out}. */
  Buffer encode(BraidMessage message, Buffer out);

  /**
   * Decodes a DATA frame's payload, which holds exactly one message.
   *
   * @throws MalformedException naming the field and the broken rule; never anything else for bad
   *     input
   */
  BraidMessage decode(Buffer payload);

  /** The codec of {@code subprotocol} ({@code braid.v1} or {@code braid.v1.json}), or null. */
  static MessageCodec forSubprotocol(String subprotocol) {
    switch (subprotocol) {
      case BinaryMessageCodec.SUBPROTOCOL:
        return BinaryMessageCodec.INSTANCE;
      case JsonMessageCodec.SUBPROTOCOL:
        return JsonMessageCodec.INSTANCE;
      default:
        return null;
    }
  }
}
