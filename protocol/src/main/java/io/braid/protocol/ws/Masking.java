package io.braid.protocol.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The masking transform of RFC 6455 §5.3: byte {@code i} of the payload is XORed with byte
 * {@code i mod 4} of the 32-bit key. Applying it twice restores the input.
 *
 * <p>Works a 64-bit word at a time; a run that started mid-payload passes the payload offset it
 * starts at so the key lines up.
 */
public final class Masking {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Masking() {}

  /**
   * Masks or unmasks {@code bytes[offset, offset + length)} in place.
   *
   * @param maskKey the key as sent on the wire, most significant byte first
   * @param payloadIndex index within the frame's payload of {@code bytes[offset]}
   */
  public static void mask(byte[] bytes, int offset, int length, int maskKey, long payloadIndex) {
    // Rotate the key so that its first byte lines up with bytes[offset].
    int shift = (int) (payloadIndex & 3) * 8;
    int key = shift == 0 ? maskKey : (maskKey << shift) | (maskKey >>> (32 - shift));
    int i = offset;
    int end = offset + length;
    if (length >= 8) {
      long key64 = ((long) key << 32) | (key & 0xFFFFFFFFL);
      int wordEnd = end - 7;
      for (; i < wordEnd; i += 8) {
        LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ key64);
      }
    }
    for (int k = 24; i < end; i++, k = (k - 8) & 31) {
      bytes[i] ^= (byte) (key >>> k);
    }
  }
}
