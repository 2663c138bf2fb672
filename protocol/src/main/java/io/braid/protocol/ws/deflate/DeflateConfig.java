package io.braid.protocol.ws.deflate;

import java.util.zip.Deflater;

/**
 * How one end compresses once permessage-deflate is negotiated. Immutable.
 *
 * @param level zlib level, 1 (fastest) to 9 (smallest)
 * @param minMessageBytes messages shorter than this go uncompressed (a fragmented one is always
 *     compressed: its length is not known at its first frame)
 * @param contextTakeover whether this end's compressor keeps its window between messages: better
 *     ratios on streams of similar messages, at about 270 KB of native memory per connection; without
 *     it a compressor is lent from a per-thread pool for one message at a time
 */
public record DeflateConfig(int level, int minMessageBytes, boolean contextTakeover) {
  /** Level 6 (zlib's default), 256 bytes, no context takeover: see docs/OPERATIONS.md. */
  public static final DeflateConfig DEFAULT = new DeflateConfig(6, 256, false);

  public DeflateConfig {
    if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("compression level must be 1-9, was " + level);
    }
    if (minMessageBytes < 0) {
      throw new IllegalArgumentException("minMessageBytes must be >= 0, was " + minMessageBytes);
    }
  }
}
