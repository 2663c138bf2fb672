package io.braid.protocol.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An incremental UTF-8 validator (RFC 3629) that may be fed a text message in arbitrary pieces and
 * fails on the first byte that cannot begin or continue a well-formed sequence: overlong forms,
 * surrogates (U+D800..U+DFFF) and code points past U+10FFFF are all rejected.
 *
 * <p>The automaton is Bjoern Hoehrmann's "Flexible and Economical UTF-8 Decoder" DFA; runs of ASCII
 * are skipped eight bytes at a time. Not thread safe: one instance per message stream.
 */
public final class Utf8Validator {
  private static final int ACCEPT = 0;
  private static final int REJECT = 12;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  // Maps each byte to a character class.
  private static final byte[] TYPES = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    8, 8, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    10, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 11, 6, 6, 6, 5, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8
  };

  // Maps (state + character class) to the next state; states are multiples of 12.
  private static final byte[] STATES = {
    0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
    12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12
  };

  private int state = ACCEPT;

  /**
   * Feeds {@code length} bytes of {@code bytes} from {@code offset}.
   *
   * @return false as soon as the input cannot be UTF-8 whatever follows; the validator then stays
   *     failed until {@link #reset()}
   */
  public boolean update(byte[] bytes, int offset, int length) {
    int s = state;
    if (s == REJECT) {
      return false;
    }
    int i = offset;
    int end = offset + length;
    while (i < end) {
      if (s == ACCEPT) {
        // Fast path: skip whole words of ASCII between code points.
        while (i + 8 <= end && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
          i += 8;
        }
        while (i < end && bytes[i] >= 0) {
          i++;
        }
        if (i == end) {
          break;
        }
      }
      s = STATES[s + TYPES[bytes[i] & 0xFF]];
      if (s == REJECT) {
        state = REJECT;
        return false;
      }
      i++;
    }
    state = s;
    return true;
  }

  /** Whether everything fed so far is valid UTF-8 ending on a code point boundary. */
  public boolean isComplete() {
    return state == ACCEPT;
  }

  /** Whether the input seen so far can never become valid UTF-8. */
  public boolean isFailed() {
    return state == REJECT;
  }

  /** Forgets all input, ready for a new message. */
  public void reset() {
    state = ACCEPT;
  }

  /** Validates a complete byte sequence in one call. */
  public static boolean isValid(byte[] bytes, int offset, int length) {
    Utf8Validator v = new Utf8Validator();
    return v.update(bytes, offset, length) && v.isComplete();
  }
}
