package io.braid.protocol.ws;

/** The masking transform of RFC 6455 §5.3 exactly as written, one byte at a time: the reference. */
final class NaiveMasking {
  private NaiveMasking() {}

  /** {@code transformed-octet-i = original-octet-i XOR masking-key-octet-(i MOD 4)}. */
  static void mask(byte[] bytes, int offset, int length, int maskKey, long payloadIndex) {
    for (int i = 0; i < length; i++) {
      int j = (int) ((payloadIndex + i) % 4);
      int keyOctet = (maskKey >>> (24 - 8 * j)) & 0xFF;
      bytes[offset + i] = (byte) (bytes[offset + i] ^ keyOctet);
    }
  }
}
