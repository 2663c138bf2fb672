package io.braid.cluster;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * The frames of a link between two nodes. Messages go from the connecting node to the accepting one; acknowledgements
 * come back on the same connection.
 *
 * <pre>
 * frame:        u32 length (of what follows), u8 kind, then
 *   MESSAGE  0: the message (a {@link PeerMessage})
 *   ACKED    1: u64 sequence, the message: the receiver acknowledges it once it took it
 *   ACK      2: u64 sequence: every ACKED message up to this one of the connection was taken
 * </pre>
 *
 * Sequences count the ACKED messages of one connection from 1.
 */
final class LinkFrames {

  static final byte MESSAGE = 0;
  static final byte ACKED = 1;
  static final byte ACK = 2;
  static final int MAX_FRAME = 16 * 1024 * 1024;

  private LinkFrames() {
  }

  static void appendMessage(Buffer batch, Buffer message) {
    batch.appendInt(1 + message.length()).appendByte(MESSAGE).appendBuffer(message);
  }

  static void appendAcked(Buffer batch, long sequence, Buffer message) {
    batch.appendInt(9 + message.length()).appendByte(ACKED).appendLong(sequence).appendBuffer(message);
  }

  static void appendAck(Buffer batch, long sequence) {
    batch.appendInt(9).appendByte(ACK).appendLong(sequence);
  }

  /** What a parsed frame is. */
  interface FrameHandler {

    /** A frame of {@code kind}; {@code sequence} 0 for MESSAGE; {@code message} null for ACK. */
    void onFrame(byte kind, long sequence, Buffer message);

    /** A frame that breaks the format: the connection must close. */
    void onMalformed(String problem);
  }

  /** A parser of frames over any split of the bytes, for a socket's handler. Confined to its socket's loop. */
  static Handler<Buffer> parser(FrameHandler frames) {
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new Handler<>() {
      private int length = -1;

      @Override
      public void handle(Buffer chunk) {
        if (length < 0) {
          length = chunk.getInt(0);
          if (length < 1 || length > MAX_FRAME) {
            frames.onMalformed("frame of " + length + " bytes");
            parser.pause();
            return;
          }
          parser.fixedSizeMode(length);
          return;
        }
        length = -1;
        parser.fixedSizeMode(4);
        byte kind = chunk.getByte(0);
        switch (kind) {
          case MESSAGE -> frames.onFrame(kind, 0, chunk.getBuffer(1, chunk.length()));
          case ACKED, ACK -> {
            if (chunk.length() < 9 || kind == ACK && chunk.length() != 9) {
              frames.onMalformed("kind " + kind + " frame of " + chunk.length() + " bytes");
              parser.pause();
              return;
            }
            frames.onFrame(kind, chunk.getLong(1), kind == ACK ? null : chunk.getBuffer(9, chunk.length()));
          }
          default -> {
            frames.onMalformed("unknown frame kind " + kind);
            parser.pause();
          }
        }
      }
    });
    return parser;
  }
}
