package io.braid.protocol.mqtt;

/** Control packet types (MQTT 5 §2.1.2), with the fixed-header flags each requires. */
public enum MqttPacketType {
  CONNECT(1), CONNACK(2), PUBLISH(3), PUBACK(4), PUBREC(5), PUBREL(6), PUBCOMP(7), SUBSCRIBE(8), SUBACK(9),
  UNSUBSCRIBE(10), UNSUBACK(11), PINGREQ(12), PINGRESP(13), DISCONNECT(14), AUTH(15);

  private static final MqttPacketType[] BY_CODE = new MqttPacketType[16];

  static {
    for (MqttPacketType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  MqttPacketType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type in the high nibble of a fixed header's first byte, or null for 0 (reserved). */
  public static MqttPacketType ofCode(int code) {
    return BY_CODE[code & 0x0F];
  }

  /** The flags (low nibble) this type must carry; PUBLISH's vary and are checked apart (§2.1.3). */
  int requiredFlags() {
    return this == PUBREL || this == SUBSCRIBE || this == UNSUBSCRIBE ? 0b0010 : 0;
  }

  /** Whether a client sends this type (a server that receives another kind fails the connection). */
  boolean sentByClient() {
    return switch (this) {
      case CONNECT, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT, AUTH -> true;
      default -> false;
    };
  }

  /** Whether a server sends this type. */
  boolean sentByServer() {
    return switch (this) {
      case CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, PINGRESP, DISCONNECT, AUTH -> true;
      default -> false;
    };
  }
}
