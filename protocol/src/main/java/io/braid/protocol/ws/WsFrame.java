package io.braid.protocol.ws;

import io.vertx.core.buffer.Buffer;

/**
 * One decoded, unmasked WebSocket frame (RFC 6455 §5.2). RSV bits are not carried: no extension is
 * negotiated yet, so the decoder rejects frames that set them.
 *
 * @param fin whether this is the final fragment of its message
 * @param opcode one of {@link Opcode}
 * @param payload the unmasked application data; owned by the receiver
 */
public record WsFrame(boolean fin, int opcode, Buffer payload) {
  public boolean isControl() {
    return Opcode.isControl(opcode);
  }

  @Override
  public String toString() {
    return "WsFrame[" + Opcode.name(opcode) + (fin ? ", fin" : "") + ", " + payload.length() + " bytes]";
  }
}
