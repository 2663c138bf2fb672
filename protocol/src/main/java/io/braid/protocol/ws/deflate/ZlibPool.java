package io.braid.protocol.ws.deflate;

import java.util.ArrayDeque;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Idle raw-deflate compressors and decompressors of one thread, lent for one message at a time when
 * context takeover is off in their direction: a connection then holds no zlib state for that
 * direction between messages. (A peer that keeps its window makes the connection keep a
 * decompressor of its own.) Confined to its thread ({@link #current()}); a
 * connection is confined to its event loop, so it borrows and returns on the same pool.
 */
final class ZlibPool {
  /** Enough for a thread's interleaved fragmented messages; more are freed, not kept. */
  private static final int MAX_IDLE = 8;
  private static final ThreadLocal<ZlibPool> POOLS = ThreadLocal.withInitial(ZlibPool::new);

  @SuppressWarnings("unchecked")
  private final ArrayDeque<Deflater>[] deflaters = new ArrayDeque[Deflater.BEST_COMPRESSION + 1];
  private final ArrayDeque<Inflater> inflaters = new ArrayDeque<>();

  private ZlibPool() {
    for (int level = 0; level < deflaters.length; level++) {
      deflaters[level] = new ArrayDeque<>();
    }
  }

  static ZlibPool current() {
    return POOLS.get();
  }

  /** A raw (no zlib header) compressor at {@code level}, in its initial state. */
  Deflater borrowDeflater(int level) {
    Deflater deflater = deflaters[level].poll();
    return deflater != null ? deflater : new Deflater(level, true);
  }

  void release(Deflater deflater, int level) {
    if (deflaters[level].size() < MAX_IDLE) {
      deflater.reset();
      deflaters[level].push(deflater);
    } else {
      deflater.end();
    }
  }

  /** A raw decompressor with a 32 KiB window, in its initial state. */
  Inflater borrowInflater() {
    Inflater inflater = inflaters.poll();
    return inflater != null ? inflater : new Inflater(true);
  }

  void release(Inflater inflater) {
    if (inflaters.size() < MAX_IDLE) {
      inflater.reset();
      inflaters.push(inflater);
    } else {
      inflater.end();
    }
  }
}
