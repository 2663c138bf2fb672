package io.braid.protocol.testing;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;

/** Hex fixtures: {@code "81 05 48656c6c6f"} (spaces are ignored) to bytes and back. */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static byte[] bytes(String hex) {
    return FORMAT.parseHex(hex.replace(" ", ""));
  }

  public static Buffer buffer(String hex) {
    return Buffer.buffer(bytes(hex));
  }

  public static String hex(byte[] bytes) {
    return FORMAT.formatHex(bytes);
  }

  public static String hex(Buffer buffer) {
    return hex(buffer.getBytes());
  }

  /** {@code count} copies of {@code byteHex}, e.g. {@code repeat("61", 100)} for 100 'a'. */
  public static String repeat(String byteHex, int count) {
    return byteHex.repeat(count);
  }
}
