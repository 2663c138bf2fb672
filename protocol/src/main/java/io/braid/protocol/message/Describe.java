package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;

/** Short renderings of buffers for the records' {@code toString()}. */
final class Describe {
  private static final int SHOWN = 32;

  private Describe() {}

  /** {@code <5 bytes 68656c6c6f>}, the first 32 bytes in hex; {@code null} when absent. */
  static String bytes(Buffer buffer) {
    if (buffer == null) {
      return "null";
    }
    int shown = Math.min(buffer.length(), SHOWN);
    String hex = HexFormat.of().formatHex(buffer.getBytes(0, shown));
    return "<" + buffer.length() + " bytes" + (shown > 0 ? " " + hex : "") + (shown < buffer.length() ? "..." : "") + ">";
  }

  /** {@code <5 bytes>}: for secrets. */
  static String secret(Buffer buffer) {
    return buffer == null ? "null" : "<" + buffer.length() + " bytes>";
  }

  static String secret(String value) {
    return value == null ? "null" : "<" + value.length() + " chars>";
  }
}
