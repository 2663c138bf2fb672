package io.braid.protocol.mqtt;

import io.braid.protocol.codec.Utf8Validator;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the data types of MQTT (§1.5) from one packet's variable header and payload, which lie whole in an array:
 * the array behind {@code source}, from which payloads are sliced without a copy.
 * Reading past the end, an ill-formed UTF-8 string, a string with U+0000 or a Variable Byte Integer longer than four
 * bytes is malformed (0x81); properties are checked against where they may appear.
 */
final class MqttReader {
  private final byte[] bytes;
  private int pos;
  private final int end;
  private final Buffer source;
  private final int sourceBase;

  /**
   * @param bytes the array behind {@code source}; the packet is {@code bytes[start, end)}
   * @param sourceBase the array index of {@code source}'s byte 0
   */
  MqttReader(byte[] bytes, int start, int end, Buffer source, int sourceBase) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.source = source;
    this.sourceBase = sourceBase;
  }

  /**
   * The protocol level a CONNECT names, read ahead without moving (its name's length, its name, then the level), or
   * -1 if the packet is too short to tell: the version to answer a malformed CONNECT in.
   */
  int peekConnectLevel() {
    if (end - pos < 2) {
      return -1;
    }
    int levelAt = pos + 2 + (((bytes[pos] & 0xFF) << 8) | (bytes[pos + 1] & 0xFF));
    return levelAt < end ? bytes[levelAt] & 0xFF : -1;
  }

  boolean hasRemaining() {
    return pos < end;
  }

  int remaining() {
    return end - pos;
  }

  private void need(int n, String field) {
    if (end - pos < n) {
      throw MqttDecodeException.malformed(field + ": the packet ends inside it");
    }
  }

  int u8(String field) {
    need(1, field);
    return bytes[pos++] & 0xFF;
  }

  int u16(String field) {
    need(2, field);
    int v = ((bytes[pos] & 0xFF) << 8) | (bytes[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  long u32(String field) {
    need(4, field);
    long v = ((long) (bytes[pos] & 0xFF) << 24) | ((bytes[pos + 1] & 0xFF) << 16) | ((bytes[pos + 2] & 0xFF) << 8)
        | (bytes[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  /** A Variable Byte Integer (§1.5.5): at most four bytes, so at most 268,435,455. */
  int varInt(String field) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int b = u8(field);
      value |= (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw MqttDecodeException.malformed(field + ": a Variable Byte Integer of more than four bytes");
  }

  /** A UTF-8 Encoded String (§1.5.4). */
  String utf8(String field) {
    int length = u16(field);
    need(length, field);
    if (!Utf8Validator.isValid(bytes, pos, length)) {
      throw MqttDecodeException.malformed(field + ": not well-formed UTF-8");
    }
    for (int i = pos; i < pos + length; i++) {
      if (bytes[i] == 0) {
        throw MqttDecodeException.malformed(field + ": U+0000 in a UTF-8 string");
      }
    }
    String s = new String(bytes, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }

  /** Binary Data (§1.5.6): a two-byte length, then the bytes. */
  Buffer binary(String field) {
    int length = u16(field);
    return rest(length, field);
  }

  /** The next {@code length} bytes, as a slice of the source: no copy. */
  Buffer rest(int length, String field) {
    need(length, field);
    Buffer b = source.slice(pos - sourceBase, pos - sourceBase + length);
    pos += length;
    return b;
  }

  /** Everything left: a PUBLISH payload or a will's. */
  Buffer rest() {
    return rest(end - pos, "payload");
  }

  /** The properties of {@code context} (§2.2.2); none in MQTT 3.1.1. */
  MqttProperties properties(MqttVersion version, MqttProperty.Context context) {
    if (version != MqttVersion.V5) {
      return MqttProperties.NONE;
    }
    int length = varInt("property length");
    if (length == 0) {
      return MqttProperties.NONE; // the common case costs no builder
    }
    need(length, "properties");
    int stop = pos + length;
    MqttProperties.Builder builder = MqttProperties.builder();
    while (pos < stop) {
      int id = varInt("property identifier");
      MqttProperty property = MqttProperty.ofId(id);
      if (property == null) {
        throw MqttDecodeException.malformed("unknown property 0x" + Integer.toHexString(id));
      }
      if (!property.allowedIn(context)) {
        throw MqttDecodeException.protocolError(property + " is not allowed in " + context);
      }
      if (!property.repeatable(context) && builder.has(property)) {
        throw MqttDecodeException.protocolError(property + " appears more than once");
      }
      builder.put(property, value(property, stop));
    }
    if (pos != stop) {
      throw MqttDecodeException.malformed("a property runs past the property length");
    }
    return builder.build();
  }

  private Object value(MqttProperty property, int stop) {
    String field = property.toString();
    Object value = switch (property.type()) {
      case BYTE -> u8(field);
      case TWO_BYTE -> u16(field);
      // kept as an Integer's bits: values past 2^31 - 1 read back with Integer.toUnsignedLong
      case FOUR_BYTE -> (int) u32(field);
      case VAR_INT -> varInt(field);
      case UTF8 -> utf8(field);
      case BINARY -> binary(field);
      case UTF8_PAIR -> new MqttProperties.UserProperty(utf8(field + " name"), utf8(field + " value"));
    };
    if (pos > stop) {
      throw MqttDecodeException.malformed(field + ": runs past the property length");
    }
    MqttPropertyRules.check(property, value);
    return value;
  }
}
