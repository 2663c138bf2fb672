package io.braid.it;

import java.nio.charset.StandardCharsets;

/**
 * One frame as the server put it on the wire, before any interpretation: the bits of its first two
 * bytes and its payload.
 *
 * @param fin the FIN bit
 * @param rsv the three RSV bits, as a number 0-7
 * @param opcode the opcode
 * @param masked the MASK bit (a server must never set it, RFC 6455 §5.1)
 * @param payload the payload bytes (unmasked if the server masked it, which is itself an error)
 */
record ServerFrame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
  String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The status code of a close frame, or -1 when it has no payload. */
  int closeCode() {
    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
  }

  String closeReason() {
    return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
  }

  @Override
  public String toString() {
    return "ServerFrame[fin=" + fin + ", rsv=" + rsv + ", opcode=0x" + Integer.toHexString(opcode)
        + ", masked=" + masked + ", " + payload.length + " bytes"
        + (opcode == 0x8 ? ", close " + closeCode() + " '" + closeReason() + "'" : "") + "]";
  }
}
