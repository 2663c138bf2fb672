package io.braid.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client frame bytes crafted by hand (RFC 6455 §5.2), valid or not: the first byte is given whole
 * (FIN, RSV and opcode bits), lengths use the shortest form unless a header is built explicitly.
 * Thread safe.
 */
final class ClientFrames {
  static final int FIN = 0x80;
  static final int RSV1 = 0x40;
  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private ClientFrames() {}

  /** A masked frame with first byte {@code b0}, masked with a random key. */
  static byte[] masked(int b0, byte[] payload) {
    int key = ThreadLocalRandom.current().nextInt();
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    writeHeader(out, b0, true, payload.length);
    writeInt(out, key);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ (key >>> (24 - 8 * (i & 3))));
    }
    return out.toByteArray();
  }

  /**
   * A masked frame whose length is written in the form {@code lengthBytes} asks for (0: the 7-bit
   * field, 2: the 16-bit form, 8: the 64-bit form), even where a shorter form would do.
   */
  static byte[] maskedWithLengthForm(int b0, byte[] payload, int lengthBytes) {
    int key = ThreadLocalRandom.current().nextInt();
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    out.write(b0);
    if (lengthBytes == 0) {
      out.write(0x80 | payload.length);
    } else if (lengthBytes == 2) {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length);
    } else {
      out.write(0x80 | 127);
      writeInt(out, 0);
      writeInt(out, payload.length);
    }
    writeInt(out, key);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ (key >>> (24 - 8 * (i & 3))));
    }
    return out.toByteArray();
  }

  /** An unmasked frame, which a server must refuse (RFC 6455 §5.1). */
  static byte[] unmasked(int b0, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 10);
    writeHeader(out, b0, false, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** A masked header announcing {@code length} payload bytes in the 64-bit form, with no payload. */
  static byte[] header64(int b0, long length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(14);
    out.write(b0);
    out.write(0x80 | 127);
    writeInt(out, (int) (length >>> 32));
    writeInt(out, (int) length);
    writeInt(out, ThreadLocalRandom.current().nextInt());
    return out.toByteArray();
  }

  /** A masked header announcing {@code length} payload bytes in the shortest form, with no payload. */
  static byte[] header(int b0, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(14);
    writeHeader(out, b0, true, length);
    writeInt(out, ThreadLocalRandom.current().nextInt());
    return out.toByteArray();
  }

  static byte[] text(String text) {
    return masked(FIN | TEXT, utf8(text));
  }

  static byte[] binary(byte[] data) {
    return masked(FIN | BINARY, data);
  }

  static byte[] ping(byte[] payload) {
    return masked(FIN | PING, payload);
  }

  static byte[] pong(byte[] payload) {
    return masked(FIN | PONG, payload);
  }

  static byte[] close(int code, String reason) {
    return masked(FIN | CLOSE, closePayload(code, utf8(reason)));
  }

  static byte[] closePayload(int code, byte[] reason) {
    byte[] payload = new byte[2 + reason.length];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(reason, 0, payload, 2, reason.length);
    return payload;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static void writeHeader(ByteArrayOutputStream out, int b0, boolean mask, int length) {
    int maskBit = mask ? 0x80 : 0;
    out.write(b0);
    if (length <= 125) {
      out.write(maskBit | length);
    } else if (length <= 0xFFFF) {
      out.write(maskBit | 126);
      out.write(length >>> 8);
      out.write(length);
    } else {
      out.write(maskBit | 127);
      writeInt(out, 0);
      writeInt(out, length);
    }
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
