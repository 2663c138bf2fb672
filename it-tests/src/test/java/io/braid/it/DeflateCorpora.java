package io.braid.it;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Payload corpora in the spirit of the Autobahn|Testsuite's 12.x cases, generated from fixed seeds
 * (the suite's own files are not on Maven Central): JSON, a bitmap, human-readable text, HTML and a
 * hardly compressible binary. Each is long enough to cut the largest message of the matrix from.
 */
enum DeflateCorpora {
  JSON(true),
  BITMAP(false),
  HUMAN_TEXT(true),
  HTML(true),
  DENSE_BINARY(false);

  private static final int LENGTH = 140_000;

  final boolean text;
  private byte[] bytes;

  DeflateCorpora(boolean text) {
    this.text = text;
  }

  /** The first {@code size} bytes, cut on a character boundary for text. */
  synchronized byte[] cut(int size) {
    if (bytes == null) {
      bytes = generate();
    }
    byte[] cut = java.util.Arrays.copyOf(bytes, size);
    if (text) {
      // the corpora are ASCII but for 2-byte letters: never end inside one
      int end = size;
      while (end > 0 && (cut[end - 1] & 0xC0) == 0xC0) {
        end--;
      }
      if (end != size) {
        java.util.Arrays.fill(cut, end, size, (byte) ' ');
      }
    }
    return cut;
  }

  private byte[] generate() {
    Random random = new Random(ordinal() * 7919L + 12);
    StringBuilder sb = new StringBuilder(LENGTH + 1000);
    switch (this) {
      case JSON -> {
        sb.append('[');
        for (int i = 0; sb.length() < LENGTH; i++) {
          sb.append("{\"id\":").append(i).append(",\"user\":\"user-").append(random.nextInt(500))
              .append("\",\"topic\":\"sensors/").append(random.nextInt(40)).append("/temp\",\"value\":")
              .append(random.nextInt(10_000) / 100.0).append(",\"tags\":[\"a\",\"b\"]},");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
      }
      case HUMAN_TEXT -> {
        String[] words = {"Habe", "nun,", "ach!", "Philosophie,", "Juristerei", "und", "Medizin,", "Und", "leider",
            "auch", "Theologie", "durchaus", "studiert,", "mit", "heißem", "Bemühn.", "Da", "steh", "ich", "nun,", "ich",
            "armer", "Tor!", "Und", "bin", "so", "klug", "als", "wie", "zuvor;"};
        while (sb.length() < LENGTH) {
          sb.append(words[random.nextInt(words.length)]).append(random.nextInt(12) == 0 ? "\n" : " ");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
      }
      case HTML -> {
        sb.append("<!doctype html><html><head><title>Braid</title></head><body><ul>\n");
        for (int i = 0; sb.length() < LENGTH; i++) {
          sb.append("  <li class=\"row r").append(i % 7).append("\"><a href=\"/topics/").append(random.nextInt(900))
              .append("\">Topic ").append(i).append("</a> <span>").append(random.nextInt(99)).append("</span></li>\n");
        }
        return sb.append("</ul></body></html>").toString().getBytes(StandardCharsets.UTF_8);
      }
      case BITMAP -> {
        byte[] pixels = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
          int x = i % 512;
          int y = i / 512;
          pixels[i] = (byte) (((x / 16 + y / 16) % 2 == 0 ? 0xF0 : 0x10) + random.nextInt(3));
        }
        return pixels;
      }
      default -> {
        byte[] dense = new byte[LENGTH];
        random.nextBytes(dense);
        for (int i = 0; i < LENGTH; i += 64) {
          dense[i] = 0; // a little structure, as in a PDF's binary streams
        }
        return dense;
      }
    }
  }
}
