package io.braid.protocol.ws.deflate;

import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.WsProtocolException;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses the incoming messages of one connection (RFC 7692 §7.2.2), fragment by fragment,
 * restoring the {@code 00 00 ff ff} tail after the last. Bounded: a message that inflates past the
 * limit fails with 1009 as soon as its output passes it, so a small "decompression bomb" costs at
 * most the limit; data that is not valid DEFLATE fails with 1007. A block with BFINAL set (§7.2.3.4)
 * ends the stream: the decompressor restarts with the output so far as its window.
 *
 * <p>Not thread safe: confine to the connection's event loop.
 */
final class MessageInflater {
  private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
  private static final byte[] NO_INPUT = new byte[0];
  private static final int WINDOW = 1 << DeflateParameters.MAX_WINDOW_BITS;
  /**
   * DEFLATE streams one message may hold: a sender that ends each with BFINAL (§7.2.3.4) uses one or two; each
   * restart copies up to a window, so a message of nothing but empty final blocks must not get millions.
   */
  static final int MAX_STREAMS_PER_MESSAGE = 8;

  private final boolean contextTakeover;
  private final int maxMessageBytes;
  private Inflater inflater;
  private long messageBytes;
  private int streamsInMessage;

  /**
   * @param contextTakeover the peer keeps its window between messages, so this end must too; else a
   *     decompressor is borrowed from the thread's pool for each message
   */
  MessageInflater(boolean contextTakeover, int maxMessageBytes) {
    this.contextTakeover = contextTakeover;
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Inflates one fragment of a compressed message.
   *
   * @throws WsProtocolException 1009 past the message limit, 1007 for invalid compressed data
   */
  Buffer inflate(Buffer fragment, boolean fin) {
    if (inflater == null) {
      inflater = contextTakeover ? new Inflater(true) : ZlibPool.current().borrowInflater();
    }
    long budget = maxMessageBytes - messageBytes;
    GrowableBytes out = new GrowableBytes((int) Math.min(budget + 1, Math.max(256L, fragment.length() * 4L)),
        (int) Math.min(Integer.MAX_VALUE - 8, budget + 1));
    feed(GrowableBytes.view(fragment), out);
    if (fin) {
      feed(ByteBuffer.wrap(TAIL), out);
      messageBytes = 0;
      streamsInMessage = 0;
      if (!contextTakeover) {
        ZlibPool.current().release(inflater);
        inflater = null;
      } else {
        inflater.setInput(NO_INPUT); // not to keep the last frame's read buffer reachable while idle
      }
    } else {
      messageBytes += out.length;
    }
    return out.toBuffer();
  }

  private void feed(ByteBuffer in, GrowableBytes out) {
    inflater.setInput(in);
    while (true) {
      if (out.room() == 0) {
        if (!out.canGrow()) {
          throw tooBig();
        }
        out.grow();
      }
      int n;
      try {
        n = inflater.inflate(out.bytes, out.length, out.room());
      } catch (DataFormatException e) {
        throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "invalid compressed data: " + e.getMessage());
      }
      out.length += n;
      if (messageBytes + out.length > maxMessageBytes) {
        throw tooBig();
      }
      if (inflater.finished()) {
        restartAfterFinalBlock(in, out);
      } else if (inflater.needsDictionary()) {
        throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "compressed data asks for a preset dictionary");
      } else if (out.room() > 0 && (n == 0 || inflater.needsInput())) {
        return;
      }
    }
  }

  /**
   * A block with BFINAL ended the stream: start a new one that can still refer to this fragment's output (not to
   * earlier fragments': a sender that ends streams inside a message gets no more window than that).
   */
  private void restartAfterFinalBlock(ByteBuffer in, GrowableBytes out) {
    if (++streamsInMessage > MAX_STREAMS_PER_MESSAGE) {
      throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD,
          "more than " + MAX_STREAMS_PER_MESSAGE + " DEFLATE streams in one message");
    }
    inflater.reset();
    if (out.length > 0) {
      inflater.setDictionary(Arrays.copyOfRange(out.bytes, Math.max(0, out.length - WINDOW), out.length));
    }
    inflater.setInput(in);
  }

  private WsProtocolException tooBig() {
    return new WsProtocolException(CloseCodes.MESSAGE_TOO_BIG,
        "message inflates past the limit of " + maxMessageBytes + " bytes");
  }

  void close() {
    if (inflater != null) {
      inflater.end();
      inflater = null;
    }
  }
}
