package io.braid.protocol.testing;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The ways a TCP stream may cut a fixture into reads, every one of which an incremental codec must
 * treat alike: the whole fixture in one read, a cut at every byte offset, one byte per read, and for
 * fixtures up to {@value #PAIR_LIMIT} bytes two cuts at every pair of offsets.
 *
 * <p>Fixtures past {@value #FULL_LIMIT} bytes (the 64 KiB frames) are cut at every offset of their
 * first and last {@value #EDGE} bytes, where the headers are, and at every {@value #STRIDE}th offset
 * in between: the stride is prime, so those cuts still fall at every phase of the 4-byte masking key
 * and of the 8-byte word loops, while the test stays linear in the fixture size.
 *
 * <p>The pieces of all splits are slices of one copy of the fixture, so a codec that wrote into its
 * input would change what later splits decode and show up as a difference between splits.
 */
public final class Splits {
  /** Fixtures up to this size are also cut at every pair of offsets (n²/2 splits). */
  public static final int PAIR_LIMIT = 40;
  /** Fixtures up to this size are cut at every offset. */
  public static final int FULL_LIMIT = 4096;
  private static final int EDGE = 256;
  private static final int STRIDE = 61;

  private Splits() {}

  /** One split: the pieces to feed in order, and where each starts in the fixture. */
  public record Split(List<Buffer> pieces, int[] starts) {
    /** The piece holding byte {@code index} of the fixture. */
    public int pieceOf(int index) {
      int piece = Arrays.binarySearch(starts, index);
      if (piece < 0) {
        piece = -piece - 2;
      }
      // Skip empty pieces that start at the same offset as the one holding the byte.
      while (piece + 1 < starts.length && starts[piece + 1] == index) {
        piece++;
      }
      return piece;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("pieces of");
      for (Buffer piece : pieces) {
        sb.append(' ').append(piece.length());
      }
      return sb.append(" bytes").toString();
    }
  }

  public static Stream<Split> of(byte[] fixture) {
    int n = fixture.length;
    Stream<int[]> whole = Stream.<int[]>of(new int[0]);
    IntStream offsets = n <= FULL_LIMIT
        ? IntStream.range(1, n)
        : IntStream.range(1, n).filter(i -> i < EDGE || i >= n - EDGE || i % STRIDE == 0);
    Stream<int[]> single = offsets.mapToObj(i -> new int[] {i});
    Stream<int[]> bytewise = n > 2 ? Stream.<int[]>of(IntStream.range(1, n).toArray()) : Stream.empty();
    Stream<int[]> pairs = n <= PAIR_LIMIT
        ? IntStream.range(1, n).boxed().flatMap(i -> IntStream.range(i + 1, n).mapToObj(j -> new int[] {i, j}))
        : Stream.empty();
    Buffer shared = Buffer.buffer(fixture);
    return Stream.of(whole, single, bytewise, pairs).flatMap(s -> s).map(cuts -> cut(shared, cuts));
  }

  /** Cuts {@code fixture} at the given ascending offsets, into slices that share its bytes. */
  public static Split cut(Buffer fixture, int... cuts) {
    List<Buffer> pieces = new ArrayList<>(cuts.length + 1);
    int[] starts = new int[cuts.length + 1];
    int start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int end = i < cuts.length ? cuts[i] : fixture.length();
      starts[i] = start;
      pieces.add(fixture.slice(start, end));
      start = end;
    }
    return new Split(pieces, starts);
  }
}
