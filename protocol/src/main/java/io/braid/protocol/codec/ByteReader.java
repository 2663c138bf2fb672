package io.braid.protocol.codec;

import io.braid.protocol.codec.Utf8Validator;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads Braid's binary primitives from a region of a {@link Buffer}, failing with a
 * {@link MalformedException} that names the field:
 *
 * <ul>
 *   <li>{@code u8}: one byte;
 *   <li>{@code varint}: an unsigned LEB128 integer, 7 bits a byte, least significant group first,
 *       high bit set on every byte but the last; at most 5 bytes and 32 bits;
 *   <li>{@code string}: a varint byte length, then that many bytes of UTF-8;
 *   <li>{@code bytes}: a varint length, then that many bytes, returned as a slice (no copy).
 * </ul>
 *
 * Not thread safe; one instance reads one region once.
 */
public final class ByteReader {
  private final Buffer buffer;
  private int position;
  private final int end;

  public ByteReader(Buffer buffer, int start, int end) {
    this.buffer = buffer;
    this.position = start;
    this.end = end;
  }

  public ByteReader(Buffer buffer) {
    this(buffer, 0, buffer.length());
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return end - position;
  }

  public boolean hasRemaining() {
    return position < end;
  }

  public int readU8(String field) {
    if (position >= end) {
      throw new MalformedException(field, "truncated");
    }
    return buffer.getByte(position++) & 0xFF;
  }

  /** A varint as an unsigned 32-bit value in a long. */
  public long readVarint(String field) {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (position >= end) {
        throw new MalformedException(field, "truncated varint");
      }
      int b = buffer.getByte(position++);
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value > 0xFFFF_FFFFL) {
          throw new MalformedException(field, "varint larger than 32 bits");
        }
        return value;
      }
    }
    throw new MalformedException(field, "varint longer than 5 bytes");
  }

  /** A varlong: a varint of up to 9 bytes, 0..2^63-1 (history offsets and times). */
  public long readVarlong(String field) {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      if (position >= end) {
        throw new MalformedException(field, "truncated varlong");
      }
      int b = buffer.getByte(position++);
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new MalformedException(field, "varlong longer than 9 bytes");
  }

  /** A varint that must lie in {@code [min, max]}. */
  public int readVarint(String field, int min, int max) {
    long value = readVarint(field);
    if (value < min || value > max) {
      throw new MalformedException(field, "value " + value + " outside " + min + ".." + max);
    }
    return (int) value;
  }

  public String readString(String field) {
    int length = readLength(field);
    byte[] bytes = buffer.getBytes(position, position + length);
    position += length;
    if (!Utf8Validator.isValid(bytes, 0, bytes.length)) {
      throw new MalformedException(field, "not valid UTF-8");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public Buffer readBytes(String field) {
    int length = readLength(field);
    Buffer slice = buffer.slice(position, position + length);
    position += length;
    return slice;
  }

  /** Moves past {@code length} bytes. */
  public void skip(int length, String field) {
    if (length > end - position) {
      throw new MalformedException(field, "length " + length + " past the end (" + (end - position) + " bytes left)");
    }
    position += length;
  }

  /** Everything left in the region, as a slice. */
  public Buffer readRest() {
    Buffer slice = buffer.slice(position, end);
    position = end;
    return slice;
  }

  private int readLength(String field) {
    long length = readVarint(field);
    if (length > end - position) {
      throw new MalformedException(field, "length " + length + " past the end (" + (end - position) + " bytes left)");
    }
    return (int) length;
  }
}
