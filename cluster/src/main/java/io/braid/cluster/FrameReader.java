package io.braid.cluster;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the frames nodes send each other front to back ({@link ReplicaFrame}, {@link PresenceFrame}), and writes
 * their strings. Every read past the frame's end, and every length that does not fit in it, is an
 * {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}, which the frames report as not theirs.
 * One thread.
 */
final class FrameReader {

  private final Buffer buffer;
  private int at;

  FrameReader(Buffer buffer, int at) {
    this.buffer = buffer;
    this.at = at;
  }

  /** {@code value} as u16 length + UTF-8. */
  static Buffer appendString(Buffer buffer, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return buffer.appendUnsignedShort(utf8.length).appendBytes(utf8);
  }

  /** {@code bytes} as u32 length + the bytes. */
  static Buffer appendBytes(Buffer buffer, byte[] bytes) {
    return buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  int u8() {
    return buffer.getUnsignedByte(at++);
  }

  int u16() {
    int value = buffer.getUnsignedShort(at);
    at += 2;
    return value;
  }

  /** A length: never negative. */
  int u32() {
    int value = buffer.getInt(at);
    at += 4;
    if (value < 0) {
      throw new IllegalArgumentException("negative length");
    }
    return value;
  }

  long u64() {
    long value = buffer.getLong(at);
    at += 8;
    return value;
  }

  /** A string written by {@link #appendString}. */
  String string() {
    return text(u16());
  }

  /** {@code length} bytes of UTF-8. */
  String text(int length) {
    if (at + length > buffer.length()) {
      throw new IllegalArgumentException("a string runs past the frame's end");
    }
    String value = buffer.getString(at, at + length, "UTF-8");
    at += length;
    return value;
  }

  /** Bytes written by {@link #appendBytes}. */
  byte[] bytes() {
    int length = u32();
    if (at + length > buffer.length()) {
      throw new IllegalArgumentException("bytes run past the frame's end");
    }
    byte[] value = buffer.getBytes(at, at + length);
    at += length;
    return value;
  }

  /** Checks that the frame has nothing more. */
  void end() {
    if (at != buffer.length()) {
      throw new IllegalArgumentException((buffer.length() - at) + " trailing bytes");
    }
  }
}
