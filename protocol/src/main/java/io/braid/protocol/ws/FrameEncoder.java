package io.braid.protocol.ws;

import io.braid.protocol.codec.Bytes;
import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;

/**
 * Encodes WebSocket frames (RFC 6455 §5.2) for one {@link Role}: a client masks every frame with a
 * fresh key from a strong random source (§5.3, §10.3), a server masks none. Lengths use the shortest
 * of the 7, 16 and 64-bit forms.
 *
 * <p>Not thread safe: confine an instance to the connection's event loop.
 */
public final class FrameEncoder {
  /** Mask keys are drawn from this many random bytes at a time, to amortise the strong source. */
  private static final int KEY_BATCH = 256;

  private final boolean mask;
  private final SecureRandom random;
  private final byte[] keys;
  private int keyIndex;

  private FrameEncoder(boolean mask) {
    this.mask = mask;
    this.random = mask ? new SecureRandom() : null;
    this.keys = mask ? new byte[KEY_BATCH] : null;
    this.keyIndex = KEY_BATCH;
  }

  /** An encoder of unmasked server frames. */
  public static FrameEncoder server() {
    return new FrameEncoder(false);
  }

  /** An encoder of client frames, each masked with an unpredictable key. */
  public static FrameEncoder client() {
    return new FrameEncoder(true);
  }

  public static FrameEncoder forRole(Role role) {
    return role == Role.CLIENT ? client() : server();
  }

  /** Encodes one frame; {@code payload} is copied, never modified. */
  public Buffer encode(int opcode, boolean fin, Buffer payload) {
    return encode(opcode, fin, false, payload);
  }

  /**
   * Encodes one frame, with RSV1 set when {@code compressed}: the first frame of a message that
   * permessage-deflate compressed (RFC 7692 §6). {@code payload} is copied, never modified.
   */
  public Buffer encode(int opcode, boolean fin, boolean compressed, Buffer payload) {
    int length = payload.length();
    int headerSize = 2 + (length <= FrameDecoder.PAYLOAD_SHORT_MAX ? 0 : length <= 0xFFFF ? 2 : 8) + (mask ? 4 : 0);
    byte[] frame = new byte[headerSize + length];
    frame[0] = (byte) ((fin ? FrameDecoder.B0_FLAG_FIN : 0) | (compressed ? FrameDecoder.B0_FLAG_RSV1 : 0) | opcode);
    int maskBit = mask ? FrameDecoder.B1_FLAG_MASK : 0;
    int pos;
    if (length <= FrameDecoder.PAYLOAD_SHORT_MAX) {
      frame[1] = (byte) (maskBit | length);
      pos = 2;
    } else if (length <= 0xFFFF) {
      frame[1] = (byte) (maskBit | FrameDecoder.PAYLOAD_16);
      frame[2] = (byte) (length >>> 8);
      frame[3] = (byte) length;
      pos = 4;
    } else {
      frame[1] = (byte) (maskBit | FrameDecoder.PAYLOAD_64);
      // Lengths past 2^31 cannot come from a Buffer: the upper four bytes stay 0.
      frame[6] = (byte) (length >>> 24);
      frame[7] = (byte) (length >>> 16);
      frame[8] = (byte) (length >>> 8);
      frame[9] = (byte) length;
      pos = 10;
    }
    int key = 0;
    if (mask) {
      key = nextMaskKey();
      frame[pos] = (byte) (key >>> 24);
      frame[pos + 1] = (byte) (key >>> 16);
      frame[pos + 2] = (byte) (key >>> 8);
      frame[pos + 3] = (byte) key;
      pos += 4;
    }
    payload.getBytes(0, length, frame, pos);
    if (mask) {
      Masking.mask(frame, pos, length, key, 0);
    }
    return Bytes.wrap(frame);
  }

  public Buffer text(String text) {
    return encode(Opcode.TEXT, true, Buffer.buffer(text));
  }

  public Buffer binary(Buffer data) {
    return encode(Opcode.BINARY, true, data);
  }

  public Buffer ping(Buffer payload) {
    return encode(Opcode.PING, true, payload);
  }

  public Buffer pong(Buffer payload) {
    return encode(Opcode.PONG, true, payload);
  }

  public Buffer close(CloseReason reason) {
    return encode(Opcode.CLOSE, true, reason.toPayload());
  }

  public Buffer close(int code, String reason) {
    return close(new CloseReason(code, reason));
  }

  private int nextMaskKey() {
    if (keyIndex == KEY_BATCH) {
      random.nextBytes(keys);
      keyIndex = 0;
    }
    int key = ((keys[keyIndex] & 0xFF) << 24) | ((keys[keyIndex + 1] & 0xFF) << 16)
        | ((keys[keyIndex + 2] & 0xFF) << 8) | (keys[keyIndex + 3] & 0xFF);
    keyIndex += 4;
    return key;
  }
}
