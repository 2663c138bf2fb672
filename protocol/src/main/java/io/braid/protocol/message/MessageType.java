package io.braid.protocol.message;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The message types, with their code (the first byte of a binary message, numbered as MQTT 5's
 * control packet types) and their name in JSON ({@code "type":"publish"}).
 */
public enum MessageType {
  CONNECT(0x01),
  CONNACK(0x02),
  PUBLISH(0x03),
  PUBACK(0x04),
  PUBREC(0x05),
  PUBREL(0x06),
  PUBCOMP(0x07),
  SUBSCRIBE(0x08),
  SUBACK(0x09),
  UNSUBSCRIBE(0x0A),
  UNSUBACK(0x0B),
  PING(0x0C),
  PONG(0x0D),
  DISCONNECT(0x0E),
  AUTH(0x0F);

  private static final MessageType[] BY_CODE = new MessageType[16];
  private static final Map<String, MessageType> BY_JSON_NAME = new HashMap<>();

  static {
    for (MessageType type : values()) {
      BY_CODE[type.code] = type;
      BY_JSON_NAME.put(type.jsonName, type);
    }
  }

  private final int code;
  private final String jsonName;

  MessageType(int code) {
    this.code = code;
    this.jsonName = name().toLowerCase(Locale.ROOT);
  }

  /** The type byte of the binary encoding. */
  public int code() {
    return code;
  }

  /** The value of {@code "type"} in the JSON encoding, e.g. {@code "publish"}. */
  public String jsonName() {
    return jsonName;
  }

  /** The type with this code, or null. */
  public static MessageType ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** The type with this JSON name, or null. */
  public static MessageType ofJsonName(String jsonName) {
    return BY_JSON_NAME.get(jsonName);
  }
}
