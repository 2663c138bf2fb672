package io.braid.protocol.mqtt;

import io.braid.protocol.codec.Bytes;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes MQTT's data types (§1.5) into a growing array: one packet's variable header and payload, after room left for
 * the fixed header, which {@link #packet} writes in front once the length is known, so that a packet is one array and
 * no copy.
 */
final class MqttWriter {
  /** The most a fixed header takes: a byte of type and flags, four of remaining length. */
  private static final int HEADER_ROOM = 5;

  private byte[] bytes;
  private int length = HEADER_ROOM;

  MqttWriter() {
    this(64);
  }

  /** @param expectedBody the body's expected size, to allocate once */
  MqttWriter(int expectedBody) {
    bytes = new byte[HEADER_ROOM + expectedBody];
  }

  /** Bytes written after the room for the fixed header. */
  int length() {
    return length - HEADER_ROOM;
  }

  private void ensure(int n) {
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
    }
  }

  MqttWriter u8(int v) {
    ensure(1);
    bytes[length++] = (byte) v;
    return this;
  }

  MqttWriter u16(int v) {
    ensure(2);
    bytes[length++] = (byte) (v >>> 8);
    bytes[length++] = (byte) v;
    return this;
  }

  MqttWriter u32(int v) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      bytes[length++] = (byte) (v >>> shift);
    }
    return this;
  }

  MqttWriter varInt(int v) {
    if (v < 0 || v > 268_435_455) {
      throw new IllegalArgumentException("a Variable Byte Integer is 0..268435455, was " + v);
    }
    do {
      int b = v & 0x7F;
      v >>>= 7;
      u8(v > 0 ? b | 0x80 : b);
    } while (v > 0);
    return this;
  }

  static int varIntSize(int v) {
    return v < 128 ? 1 : v < 16_384 ? 2 : v < 2_097_152 ? 3 : 4;
  }

  MqttWriter utf8(String s) {
    int n = s.length();
    if (n <= 65_535) {
      ensure(2 + n);
      int start = length + 2;
      int i = 0;
      while (i < n && s.charAt(i) < 0x80) {
        bytes[start + i] = (byte) s.charAt(i);
        i++;
      }
      if (i == n) { // ASCII, the common case: written without an intermediate array
        u16(n);
        length += n;
        return this;
      }
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > 65_535) {
      throw new IllegalArgumentException("a UTF-8 string is at most 65,535 bytes, was " + utf8.length);
    }
    return u16(utf8.length).raw(utf8, 0, utf8.length);
  }

  MqttWriter binary(Buffer b) {
    if (b.length() > 65_535) {
      throw new IllegalArgumentException("binary data is at most 65,535 bytes, was " + b.length());
    }
    return u16(b.length()).raw(b);
  }

  MqttWriter raw(Buffer b) {
    ensure(b.length());
    b.getBytes(0, b.length(), bytes, length);
    length += b.length();
    return this;
  }

  MqttWriter raw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, bytes, length, len);
    length += len;
    return this;
  }

  /** The properties, preceded by their length; nothing at all in MQTT 3.1.1. */
  MqttWriter properties(MqttProperties properties, MqttVersion version) {
    if (version != MqttVersion.V5) {
      return this;
    }
    if (properties.isEmpty()) {
      return u8(0);
    }
    MqttWriter p = new MqttWriter();
    for (MqttProperty property : properties.present()) {
      p.varInt(property.id());
      p.value(property, properties.get(property));
    }
    for (int id : properties.subscriptionIdentifiers()) {
      p.varInt(MqttProperty.SUBSCRIPTION_IDENTIFIER.id()).varInt(id);
    }
    for (MqttProperties.UserProperty user : properties.userProperties()) {
      p.varInt(MqttProperty.USER_PROPERTY.id()).utf8(user.name()).utf8(user.value());
    }
    return varInt(p.length()).raw(p.bytes, HEADER_ROOM, p.length());
  }

  private void value(MqttProperty property, Object value) {
    switch (property.type()) {
      case BYTE -> u8((Integer) value);
      case TWO_BYTE -> u16((Integer) value);
      case FOUR_BYTE -> u32((Integer) value);
      case VAR_INT -> varInt((Integer) value);
      case UTF8 -> utf8((String) value);
      case BINARY -> binary((Buffer) value);
      default -> throw new IllegalStateException("written apart: " + property);
    }
  }

  /** The packet: the fixed header (type and flags, remaining length) written in front of the body, one array. */
  Buffer packet(MqttPacketType type, int flags) {
    int remaining = length();
    if (remaining > 268_435_455) {
      throw new IllegalArgumentException("a packet's remaining length is at most 268,435,455 bytes, was " + remaining);
    }
    int start = HEADER_ROOM - 1 - varIntSize(remaining);
    bytes[start] = (byte) ((type.code() << 4) | flags);
    int at = start + 1;
    int v = remaining;
    do {
      int b = v & 0x7F;
      v >>>= 7;
      bytes[at++] = (byte) (v > 0 ? b | 0x80 : b);
    } while (v > 0);
    return Bytes.wrap(bytes).slice(start, length);
  }
}
