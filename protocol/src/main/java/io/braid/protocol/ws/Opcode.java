package io.braid.protocol.ws;

/** Frame opcodes of RFC 6455 §5.2. */
public final class Opcode {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private Opcode() {}

  /** Control frames have the high bit of the opcode set (§5.5). */
  public static boolean isControl(int opcode) {
    return (opcode & 0x8) != 0;
  }

  /** Whether the opcode is one RFC 6455 defines; the others are reserved (§5.2). */
  public static boolean isKnown(int opcode) {
    return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
  }

  /** A short name for logs. */
  public static String name(int opcode) {
    switch (opcode) {
      case CONTINUATION: return "CONTINUATION";
      case TEXT: return "TEXT";
      case BINARY: return "BINARY";
      case CLOSE: return "CLOSE";
      case PING: return "PING";
      case PONG: return "PONG";
      default: return "RESERVED(0x" + Integer.toHexString(opcode) + ")";
    }
  }
}
