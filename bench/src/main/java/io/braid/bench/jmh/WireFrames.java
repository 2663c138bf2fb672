package io.braid.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds the benchmark inputs: client frames (RFC 6455 §5.2) masked with keys from a seeded random,
 * so every run and both decoders see exactly the same bytes. Written here rather than with Braid's
 * {@code FrameEncoder} so that the fixture owes nothing to either decoder under test.
 *
 * <p>Not thread safe; used in benchmark set-up only.
 */
final class WireFrames {
  static final int OPCODE_CONTINUATION = 0x0;
  static final int OPCODE_TEXT = 0x1;
  static final int OPCODE_BINARY = 0x2;

  private final Random random;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<byte[]> payloads = new ArrayList<>();

  WireFrames(long seed) {
    this.random = new Random(seed);
  }

  /** Appends one masked frame carrying {@code payload}; lengths use the shortest form (§5.2). */
  WireFrames frame(int opcode, boolean fin, byte[] payload) {
    int length = payload.length;
    out.write((fin ? 0x80 : 0) | opcode);
    if (length <= 125) {
      out.write(0x80 | length);
    } else if (length <= 0xFFFF) {
      out.write(0x80 | 126);
      out.write(length >>> 8);
      out.write(length);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) length >>> shift));
      }
    }
    byte[] key = new byte[4];
    random.nextBytes(key);
    out.write(key, 0, 4);
    for (int i = 0; i < length; i++) {
      out.write(payload[i] ^ key[i & 3]);
    }
    payloads.add(payload);
    return this;
  }

  /** The concatenated wire bytes of every frame appended so far. */
  byte[] bytes() {
    return out.toByteArray();
  }

  /** The unmasked payloads, in frame order: what a decoder must deliver. */
  List<byte[]> payloads() {
    return payloads;
  }

  /** {@code size} random bytes from this fixture's seeded source. */
  byte[] randomBytes(int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  /**
   * Exactly {@code size} bytes of valid UTF-8. {@code mixed} interleaves ASCII words with 2-, 3-
   * and 4-byte code points (about 60% of the bytes are non-ASCII); otherwise the text is pure ASCII.
   */
  String text(int size, boolean mixed) {
    String[] words = mixed
        ? new String[] {"hello ", "world ", "braid ", "héllo ", "wörld ", "ça va ", "日本語 ",
            "テキスト ", "中文 ", "😀 ", "🚀🌍 ", "Ωμέγα ", "привет "}
        : new String[] {"hello ", "world ", "braid ", "stream ", "topic ", "frame "};
    StringBuilder sb = new StringBuilder(size);
    int bytes = 0;
    while (true) {
      String w = words[random.nextInt(words.length)];
      int n = w.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > size) {
        break;
      }
      sb.append(w);
      bytes += n;
    }
    while (bytes++ < size) {
      sb.append('.');
    }
    return sb.toString();
  }
}
