package io.braid.protocol.ws;

import io.vertx.core.buffer.Buffer;

/**
 * One decoded, unmasked WebSocket frame (RFC 6455 §5.2).
 *
 * @param fin whether this is the final fragment of its message
 * @param opcode one of {@link Opcode}
 * @param compressed RSV1 as the per-message compressed bit (RFC 7692 §6): set only on the first
 *     frame of a compressed message, and only where permessage-deflate was negotiated
 * @param payload the unmasked application data; owned by the receiver
 */
public record WsFrame(boolean fin, int opcode, boolean compressed, Buffer payload) {
  /** An uncompressed frame. */
  public WsFrame(boolean fin, int opcode, Buffer payload) {
    this(fin, opcode, false, payload);
  }

  public boolean isControl() {
    return Opcode.isControl(opcode);
  }

  @Override
  public String toString() {
    return "WsFrame[" + Opcode.name(opcode) + (fin ? ", fin" : "") + (compressed ? ", compressed" : "")
        + ", " + payload.length() + " bytes]";
  }
}
