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
 * <p>Each split gets its own copy of the bytes, so a codec that wrote into its input would show up
 * as a difference between splits.
 */
public final class Splits {
  /** Fixtures up to this size are also cut at every pair of offsets (n²/2 splits). */
  public static final int PAIR_LIMIT = 40;

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
    Stream<int[]> single = IntStream.range(1, n).mapToObj(i -> new int[] {i});
    Stream<int[]> bytewise = n > 2 ? Stream.<int[]>of(IntStream.range(1, n).toArray()) : Stream.empty();
    Stream<int[]> pairs = n <= PAIR_LIMIT
        ? IntStream.range(1, n).boxed().flatMap(i -> IntStream.range(i + 1, n).mapToObj(j -> new int[] {i, j}))
        : Stream.empty();
    return Stream.of(whole, single, bytewise, pairs).flatMap(s -> s).map(cuts -> cut(fixture, cuts));
  }

  /** Cuts {@code fixture} at the given ascending offsets. */
  public static Split cut(byte[] fixture, int... cuts) {
    List<Buffer> pieces = new ArrayList<>(cuts.length + 1);
    int[] starts = new int[cuts.length + 1];
    int start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int end = i < cuts.length ? cuts[i] : fixture.length;
      starts[i] = start;
      pieces.add(Buffer.buffer(Arrays.copyOfRange(fixture, start, end)));
      start = end;
    }
    return new Split(pieces, starts);
  }
}
