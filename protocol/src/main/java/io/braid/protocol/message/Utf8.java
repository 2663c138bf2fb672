package io.braid.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 for the encoders, without an intermediate byte array: the length is counted from the
 * chars, then the bytes are written straight into the output buffer.
 */
final class Utf8 {
  private Utf8() {}

  /**
   * The UTF-8 length of {@code s}.
   *
   * @throws IllegalArgumentException naming {@code field} if {@code s} holds a lone surrogate, which
   *     has no UTF-8 form
   */
  static int length(String s, String field) {
    int n = s.length();
    int length = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        length += 1;
      } else if (!Character.isSurrogate(c)) {
        length += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 2; // two chars, four bytes
        i++;
      } else {
        throw Checks.invalid(field, "lone surrogate at index " + i + " has no UTF-8 form");
      }
    }
    return length;
  }

  /** The index of the first lone surrogate in {@code s}, or -1. */
  static int loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Appends the {@code utf8Length} bytes of {@code s} (as counted by {@link #length}) to {@code out}. */
  static void write(Buffer out, String s, int utf8Length) {
    if (out instanceof BufferImpl) {
      ByteBuf target = ((BufferImpl) out).byteBuf();
      if (target.maxWritableBytes() >= utf8Length) {
        ByteBufUtil.reserveAndWriteUtf8(target, s, utf8Length);
        return;
      }
    }
    if (utf8Length == s.length()) {
      for (int i = 0; i < utf8Length; i++) {
        out.appendByte((byte) s.charAt(i));
      }
    } else {
      out.appendBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }
}
