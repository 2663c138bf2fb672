package io.braid.it;

import java.util.Random;

/** Message payloads of any size whose corruption anywhere would show. */
final class Payloads {
  static final int MIB_16 = 16 * 1024 * 1024;

  private Payloads() {}

  /** ASCII text of exactly {@code size} characters and UTF-8 bytes, with a varying pattern. */
  static String text(int size) {
    char[] chars = new char[size];
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int i = 0; i < size; i++) {
      chars[i] = alphabet.charAt((i * 7 + i / 61) % alphabet.length());
    }
    return new String(chars);
  }

  /** {@code size} pseudo-random bytes, the same for the same size. */
  static byte[] binary(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
