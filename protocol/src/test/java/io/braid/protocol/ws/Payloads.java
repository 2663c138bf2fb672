package io.braid.protocol.ws;

import io.braid.protocol.testing.Hex;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Short, exact descriptions of payloads, so that recorded events compare as strings. */
final class Payloads {
  private Payloads() {}

  /**
   * Hex up to 32 bytes; past that the length and a CRC-32C, to keep failure messages readable (the
   * payloads are not adversarial, so a checksum tells them apart).
   */
  static String describe(byte[] bytes) {
    if (bytes.length <= 32) {
      return Hex.hex(bytes);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return String.format("<%d bytes, crc32c %08x>", bytes.length, crc.getValue());
  }

  static String describe(Buffer buffer) {
    return describe(buffer.getBytes());
  }

  /** A text payload as a quoted string up to 64 bytes, else as {@link #describe(byte[])}. */
  static String describeText(byte[] utf8) {
    if (utf8.length <= 64) {
      return '"' + new String(utf8, StandardCharsets.UTF_8) + '"';
    }
    return describe(utf8);
  }
}
