package io.braid.protocol.ws;

import io.braid.protocol.codec.Role;
import io.braid.protocol.testing.Hex;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A frame fixture for either role. Fixtures are written unmasked, as a server sends them; for the
 * {@link Role#SERVER} decoder each frame is masked with the RFC 6455 §5.7 example key, as a client
 * sends it. A fixture may end inside a frame (a header, or a payload shorter than declared).
 *
 * <p>Indexes into {@link #bytes()} are named by meaning ({@link #lastHeaderByte}, {@link
 * #payloadByte}) so that one test states where a decoder must fail in both roles.
 */
final class Wire {
  /** The masking key of RFC 6455 §5.7: 0x37 0xfa 0x21 0x3d. */
  static final int RFC_MASK_KEY = 0x37fa213d;

  private final byte[] bytes;
  private final List<int[]> frames; // {first byte, last header byte, first payload byte}

  private Wire(byte[] bytes, List<int[]> frames) {
    this.bytes = bytes;
    this.frames = frames;
  }

  static Wire of(Role role, String unmaskedHex) {
    byte[] in = Hex.bytes(unmaskedHex);
    boolean mask = role == Role.SERVER;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<int[]> frames = new ArrayList<>();
    int pos = 0;
    while (pos < in.length) {
      int start = out.size();
      if (pos + 1 < in.length && (in[pos + 1] & 0x80) != 0) {
        throw new IllegalArgumentException("fixture frames are written unmasked; frame at " + pos + " is masked");
      }
      int lengthBits = pos + 1 < in.length ? in[pos + 1] & 0x7F : 0;
      int headerLength = 2 + (lengthBits == 126 ? 2 : lengthBits == 127 ? 8 : 0);
      int headerEnd = Math.min(pos + headerLength, in.length);
      for (int i = pos; i < headerEnd; i++) {
        out.write(i == pos + 1 && mask ? in[i] | 0x80 : in[i]);
      }
      if (headerEnd < pos + headerLength) {
        frames.add(new int[] {start, -1, -1});
        break;
      }
      if (mask) {
        out.write(RFC_MASK_KEY >>> 24);
        out.write(RFC_MASK_KEY >>> 16);
        out.write(RFC_MASK_KEY >>> 8);
        out.write(RFC_MASK_KEY);
      }
      long declared = declaredLength(in, pos, lengthBits);
      int present = (int) Math.min(declared < 0 ? Long.MAX_VALUE : declared, in.length - headerEnd);
      byte[] payload = Arrays.copyOfRange(in, headerEnd, headerEnd + present);
      if (mask) {
        NaiveMasking.mask(payload, 0, payload.length, RFC_MASK_KEY, 0);
      }
      frames.add(new int[] {start, out.size() - 1, out.size()});
      out.writeBytes(payload);
      pos = headerEnd + present;
    }
    return new Wire(out.toByteArray(), frames);
  }

  private static long declaredLength(byte[] in, int pos, int lengthBits) {
    if (lengthBits == 126) {
      return ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
    }
    if (lengthBits == 127) {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (in[pos + 2 + i] & 0xFF);
      }
      return v;
    }
    return lengthBits;
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /** Index of the first byte of frame {@code frame} (0-based). */
  int frameStart(int frame) {
    return frames.get(frame)[0];
  }

  /** Index of the second header byte of {@code frame}: MASK and the 7-bit length. */
  int secondByte(int frame) {
    return frameStart(frame) + 1;
  }

  /** Index of the last header byte of {@code frame}: the last length or masking-key byte. */
  int lastHeaderByte(int frame) {
    return frames.get(frame)[1];
  }

  /** Index of payload byte {@code k} of {@code frame}. */
  int payloadByte(int frame, int k) {
    return frames.get(frame)[2] + k;
  }

  int lastByte() {
    return bytes.length - 1;
  }
}
