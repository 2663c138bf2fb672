package io.braid.protocol.codec;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Writes Braid's binary primitives (see {@link ByteReader}) to the end of a {@link Buffer}. */
public final class ByteWriter {
  private ByteWriter() {}

  /** The number of bytes {@code value}, an unsigned 32-bit integer, takes as a varint. */
  public static int varintSize(long value) {
    return varlongSize(checkVarint(value));
  }

  public static Buffer writeVarint(Buffer out, long value) {
    return writeVarlong(out, checkVarint(value));
  }

  /** A varint is a varlong of at most 32 bits. */
  private static long checkVarint(long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("varint must be 0..2^32-1, was " + value);
    }
    return value;
  }

  /** The number of bytes {@code value}, 0..2^63-1, takes as a varlong (a varint of up to 9 bytes). */
  public static int varlongSize(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varlong must be 0..2^63-1, was " + value);
    }
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  public static Buffer writeVarlong(Buffer out, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varlong must be 0..2^63-1, was " + value);
    }
    while ((value & ~0x7FL) != 0) {
      out.appendByte((byte) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    return out.appendByte((byte) value);
  }

  public static Buffer writeU8(Buffer out, int value) {
    return out.appendByte((byte) value);
  }

  public static Buffer writeString(Buffer out, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeVarint(out, utf8.length);
    return out.appendBytes(utf8);
  }

  public static Buffer writeBytes(Buffer out, Buffer value) {
    writeVarint(out, value.length());
    return out.appendBuffer(value);
  }
}
