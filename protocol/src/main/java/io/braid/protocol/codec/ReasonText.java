package io.braid.protocol.codec;

import java.nio.charset.StandardCharsets;

/**
 * Human readable text that a side puts on the wire about an error (reason strings, GOAWAY and close reasons), made
 * safe whatever input it echoes: a peer's bytes may hold lone surrogates (no UTF-8 form, so no encoder can write
 * them), control characters, or be arbitrarily long. Stateless; thread safe.
 */
public final class ReasonText {

  /**
   * The most UTF-8 bytes of a reason string: with it, every message a server sends but a delivery fits in the
   * smallest frame payload a peer may advertise (1,024 bytes), in both encodings.
   */
  public static final int MAX_BYTES = 256;
  /** The most characters of input quoted into a reason by {@link #quote}. */
  static final int MAX_QUOTED = 64;

  private ReasonText() {
  }

  /**
   * {@code text} with every lone surrogate replaced by U+FFFD, every control character by a space, and cut to
   * {@link #MAX_BYTES} UTF-8 bytes on a code point boundary (ending in "..." when cut); null stays null.
   */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    String clean = printable(text);
    byte[] utf8 = clean.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_BYTES) {
      return clean;
    }
    int end = MAX_BYTES - 3;
    while ((utf8[end] & 0xC0) == 0x80) {
      end--; // back to the first byte of a code point
    }
    return new String(utf8, 0, end, StandardCharsets.UTF_8) + "...";
  }

  /**
   * A peer's text quoted for an error message, in single quotes: printable ASCII as it is, everything else
   * escaped as in JSON ({@code '\ud800'}), so that the reason names what was received even when it cannot be encoded;
   * cut to {@link #MAX_QUOTED} characters of input.
   */
  public static String quote(String input) {
    StringBuilder out = new StringBuilder(input.length() + 2).append('\'');
    int end = Math.min(input.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = input.charAt(i);
      if (c == '\'' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    out.append('\'');
    if (end < input.length()) {
      out.append("...");
    }
    return out.toString();
  }

  /**
   * A field name received from a peer, for an error message: as it is when it looks like a name (ASCII letters,
   * digits, {@code _ $ -}, at most {@link #MAX_QUOTED} of them), else {@linkplain #quote quoted}.
   */
  public static String name(String input) {
    if (!input.isEmpty() && input.length() <= MAX_QUOTED && input.chars().allMatch(ReasonText::isNameChar)) {
      return input;
    }
    return quote(input);
  }

  private static boolean isNameChar(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c == '-';
  }

  /** {@code text} with lone surrogates as U+FFFD and control characters as spaces. */
  private static String printable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char replacement = 0;
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      } else if (Character.isSurrogate(c)) {
        replacement = '\uFFFD';
      } else if (Character.isISOControl(c)) {
        replacement = ' ';
      }
      if (replacement != 0 && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(replacement != 0 ? replacement : c);
      }
    }
    return out == null ? text : out.toString();
  }
}
