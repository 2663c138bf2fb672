package io.braid.bench.jmh;

import java.util.Arrays;
import java.util.List;

/** Checks, before any measurement, that a decoder delivers exactly the payloads a fixture holds. */
final class Fixtures {
  private Fixtures() {}

  static void requireSamePayloads(String decoder, List<byte[]> expected, List<byte[]> actual) {
    if (expected.size() != actual.size()) {
      throw new IllegalStateException(decoder + " delivered " + actual.size() + " frames, expected " + expected.size());
    }
    for (int i = 0; i < expected.size(); i++) {
      if (!Arrays.equals(expected.get(i), actual.get(i))) {
        throw new IllegalStateException(decoder + " delivered a wrong payload in frame " + i);
      }
    }
  }

  static long totalLength(List<byte[]> payloads) {
    long n = 0;
    for (byte[] p : payloads) {
      n += p.length;
    }
    return n;
  }
}
