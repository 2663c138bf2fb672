package io.braid.protocol.ws.deflate;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses the outgoing messages of one connection (RFC 7692 §7.2.1): raw DEFLATE ending in a
 * sync flush, with the {@code 00 00 ff ff} that ends the last fragment removed. A fragmented message
 * is compressed fragment by fragment, each flushed so that it goes out at once.
 *
 * <p>A window under 15 bits cannot be set on the JDK's zlib, so such a limit is kept by compressing
 * in chunks of the window's size, each with a fresh compressor: no back reference then reaches
 * farther than the window (§7.1.2.1). Not thread safe: confine to the connection's event loop.
 */
final class MessageDeflater {
  private static final int TAIL_LENGTH = 4;
  private static final byte[] NO_INPUT = new byte[0];

  private final int level;
  private final boolean contextTakeover;
  private final int chunk;
  private Deflater deflater;

  /**
   * @param contextTakeover keep one compressor and its window for the connection's life; else one
   *     is borrowed from the thread's pool for each message
   * @param windowBits the most this end may compress with, 8-15
   */
  MessageDeflater(int level, boolean contextTakeover, int windowBits) {
    this.level = level;
    boolean fullWindow = windowBits == DeflateParameters.MAX_WINDOW_BITS;
    this.contextTakeover = contextTakeover && fullWindow;
    this.chunk = fullWindow ? Integer.MAX_VALUE : 1 << windowBits;
  }

  /** Whether the window outlives a message, so every message must go through this compressor. */
  boolean keepsContext() {
    return contextTakeover;
  }

  /** Compresses one fragment; the last ({@code fin}) one ends the message. */
  Buffer compress(Buffer fragment, boolean fin) {
    if (deflater == null) {
      deflater = contextTakeover ? new Deflater(level, true) : ZlibPool.current().borrowDeflater(level);
    }
    ByteBuffer in = GrowableBytes.view(fragment);
    GrowableBytes out = new GrowableBytes(in.remaining() / 2 + 64, Integer.MAX_VALUE - 8);
    if (chunk == Integer.MAX_VALUE) {
      deflater.setInput(in);
      flush(out);
    } else {
      compressInChunks(in, out);
    }
    if (fin) {
      endMessage(out);
      if (!contextTakeover) {
        ZlibPool.current().release(deflater, level);
        deflater = null;
      } else {
        deflater.setInput(NO_INPUT); // the JDK keeps the last input reachable until the next: not the payload
      }
    }
    return out.toBuffer();
  }

  /**
   * A sync flush ends in an empty stored block, whose {@code 00 00 ff ff} the receiver restores; zlib
   * writes none when nothing came since the last flush (an empty message), which is sent as the
   * single {@code 00} of §7.2.3.6.
   */
  private static void endMessage(GrowableBytes out) {
    if (out.length == 0) {
      out.bytes[0] = 0;
      out.length = 1;
      return;
    }
    byte[] b = out.bytes;
    int n = out.length;
    if (n < TAIL_LENGTH || b[n - 4] != 0 || b[n - 3] != 0 || b[n - 2] != (byte) 0xFF || b[n - 1] != (byte) 0xFF) {
      throw new IllegalStateException("zlib's sync flush did not end in an empty stored block");
    }
    out.length -= TAIL_LENGTH;
  }

  private void compressInChunks(ByteBuffer in, GrowableBytes out) {
    int end = in.limit();
    do {
      deflater.reset();
      in.limit(Math.min(end, in.position() + chunk));
      deflater.setInput(in);
      flush(out);
    } while (in.limit() < end);
  }

  private void flush(GrowableBytes out) {
    while (true) {
      out.length += deflater.deflate(out.bytes, out.length, out.room(), Deflater.SYNC_FLUSH);
      if (out.room() > 0) {
        return;
      }
      out.grow();
    }
  }

  /** Frees the compressor; a message in progress is abandoned. */
  void close() {
    if (deflater != null) {
      deflater.end();
      deflater = null;
    }
  }
}
