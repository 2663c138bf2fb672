package io.braid.protocol.mqtt;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes MQTT's data types (§1.5) into a growing array: one packet's variable header and payload. */
final class MqttWriter {
  private byte[] bytes = new byte[64];
  private int length;

  int length() {
    return length;
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
    return varInt(p.length).raw(p.bytes, 0, p.length);
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

  /** The packet: fixed header (type and flags, remaining length), then what was written. */
  Buffer packet(MqttPacketType type, int flags) {
    Buffer out = Buffer.buffer(1 + varIntSize(length) + length);
    out.appendByte((byte) ((type.code() << 4) | flags));
    int v = length;
    do {
      int b = v & 0x7F;
      v >>>= 7;
      out.appendByte((byte) (v > 0 ? b | 0x80 : b));
    } while (v > 0);
    return out.appendBytes(bytes, 0, length);
  }
}
