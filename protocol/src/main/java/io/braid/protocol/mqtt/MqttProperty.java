package io.braid.protocol.mqtt;

import java.util.EnumSet;
import java.util.Set;

/** The MQTT 5 properties (§2.2.2.2): identifier, value type and the packets each may appear in. */
public enum MqttProperty {
  PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, Context.PUBLISH, Context.WILL),
  MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE, Context.PUBLISH, Context.WILL),
  CONTENT_TYPE(0x03, Type.UTF8, Context.PUBLISH, Context.WILL),
  RESPONSE_TOPIC(0x08, Type.UTF8, Context.PUBLISH, Context.WILL),
  CORRELATION_DATA(0x09, Type.BINARY, Context.PUBLISH, Context.WILL),
  SUBSCRIPTION_IDENTIFIER(0x0B, Type.VAR_INT, Context.PUBLISH, Context.SUBSCRIBE),
  SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE, Context.CONNECT, Context.CONNACK, Context.DISCONNECT),
  ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8, Context.CONNACK),
  SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE, Context.CONNACK),
  AUTHENTICATION_METHOD(0x15, Type.UTF8, Context.CONNECT, Context.CONNACK, Context.AUTH),
  AUTHENTICATION_DATA(0x16, Type.BINARY, Context.CONNECT, Context.CONNACK, Context.AUTH),
  REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, Context.CONNECT),
  WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE, Context.WILL),
  REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, Context.CONNECT),
  RESPONSE_INFORMATION(0x1A, Type.UTF8, Context.CONNACK),
  SERVER_REFERENCE(0x1C, Type.UTF8, Context.CONNACK, Context.DISCONNECT),
  REASON_STRING(0x1F, Type.UTF8, Context.CONNACK, Context.ACK, Context.SUBACK, Context.UNSUBACK, Context.DISCONNECT,
      Context.AUTH),
  RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE, Context.CONNECT, Context.CONNACK),
  TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE, Context.CONNECT, Context.CONNACK),
  TOPIC_ALIAS(0x23, Type.TWO_BYTE, Context.PUBLISH),
  MAXIMUM_QOS(0x24, Type.BYTE, Context.CONNACK),
  RETAIN_AVAILABLE(0x25, Type.BYTE, Context.CONNACK),
  USER_PROPERTY(0x26, Type.UTF8_PAIR, Context.values()),
  MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE, Context.CONNECT, Context.CONNACK),
  WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, Context.CONNACK),
  SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, Context.CONNACK),
  SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, Context.CONNACK);

  /** How a property's value is written (§1.5). */
  enum Type { BYTE, TWO_BYTE, FOUR_BYTE, VAR_INT, UTF8, BINARY, UTF8_PAIR }

  /** Where properties appear: a packet, or a CONNECT's will. PUBACK, PUBREC, PUBREL and PUBCOMP share {@link #ACK}. */
  public enum Context { CONNECT, WILL, CONNACK, PUBLISH, ACK, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH }

  static final int MAX_ID = 0x2A;
  private static final MqttProperty[] BY_ID = new MqttProperty[MAX_ID + 1];

  static {
    for (MqttProperty p : values()) {
      BY_ID[p.id] = p;
    }
  }

  private final int id;
  private final Type type;
  private final Set<Context> contexts;

  MqttProperty(int id, Type type, Context... contexts) {
    this.id = id;
    this.type = type;
    this.contexts = EnumSet.of(contexts[0], contexts);
  }

  public int id() {
    return id;
  }

  Type type() {
    return type;
  }

  boolean allowedIn(Context context) {
    return contexts.contains(context);
  }

  /** May appear more than once in one packet: user properties, and subscription identifiers in a PUBLISH. */
  boolean repeatable(Context context) {
    return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && context == Context.PUBLISH);
  }

  static MqttProperty ofId(int id) {
    return id >= 0 && id <= MAX_ID ? BY_ID[id] : null;
  }
}
