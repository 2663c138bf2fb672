package io.braid.protocol.message;

import java.util.EnumMap;
import java.util.Map;

/**
 * Reason codes, with MQTT 5's values (MQTT 5 §2.4). A code below 0x80 reports success, 0x80 and up a
 * failure; every negative answer (a CONNACK, SUBACK, UNSUBACK, PUBACK, PUBREC, PUBREL, PUBCOMP or
 * DISCONNECT that refuses or fails) carries one. Each message type allows only the codes listed in
 * MQTT 5 for the matching packet ({@link #isAllowed}); Braid adds 0x8C "bad authentication method"
 * to DISCONNECT, for a failed re-authentication. Constants and pure functions; thread safe.
 */
public final class ReasonCode {
  public static final int SUCCESS = 0x00;
  public static final int NORMAL_DISCONNECTION = 0x00;
  public static final int GRANTED_QOS_0 = 0x00;
  public static final int GRANTED_QOS_1 = 0x01;
  public static final int GRANTED_QOS_2 = 0x02;
  public static final int DISCONNECT_WITH_WILL_MESSAGE = 0x04;
  public static final int NO_MATCHING_SUBSCRIBERS = 0x10;
  public static final int NO_SUBSCRIPTION_EXISTED = 0x11;
  public static final int CONTINUE_AUTHENTICATION = 0x18;
  public static final int RE_AUTHENTICATE = 0x19;
  public static final int UNSPECIFIED_ERROR = 0x80;
  public static final int MALFORMED_PACKET = 0x81;
  public static final int PROTOCOL_ERROR = 0x82;
  public static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
  public static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;
  public static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
  public static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
  public static final int NOT_AUTHORIZED = 0x87;
  public static final int SERVER_UNAVAILABLE = 0x88;
  public static final int SERVER_BUSY = 0x89;
  public static final int BANNED = 0x8A;
  public static final int SERVER_SHUTTING_DOWN = 0x8B;
  public static final int BAD_AUTHENTICATION_METHOD = 0x8C;
  public static final int KEEP_ALIVE_TIMEOUT = 0x8D;
  public static final int SESSION_TAKEN_OVER = 0x8E;
  public static final int TOPIC_FILTER_INVALID = 0x8F;
  public static final int TOPIC_NAME_INVALID = 0x90;
  public static final int PACKET_IDENTIFIER_IN_USE = 0x91;
  public static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;
  public static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
  public static final int TOPIC_ALIAS_INVALID = 0x94;
  public static final int PACKET_TOO_LARGE = 0x95;
  public static final int MESSAGE_RATE_TOO_HIGH = 0x96;
  public static final int QUOTA_EXCEEDED = 0x97;
  public static final int ADMINISTRATIVE_ACTION = 0x98;
  public static final int PAYLOAD_FORMAT_INVALID = 0x99;
  public static final int RETAIN_NOT_SUPPORTED = 0x9A;
  public static final int QOS_NOT_SUPPORTED = 0x9B;
  public static final int USE_ANOTHER_SERVER = 0x9C;
  public static final int SERVER_MOVED = 0x9D;
  public static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
  public static final int CONNECTION_RATE_EXCEEDED = 0x9F;
  public static final int MAXIMUM_CONNECT_TIME = 0xA0;
  public static final int SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = 0xA1;
  public static final int WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xA2;

  private static final Map<MessageType, boolean[]> ALLOWED = new EnumMap<>(MessageType.class);

  static {
    allow(MessageType.CONNACK, 0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A,
        0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
    allow(MessageType.PUBACK, 0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    allow(MessageType.PUBREC, 0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    allow(MessageType.PUBREL, 0x00, 0x92);
    allow(MessageType.PUBCOMP, 0x00, 0x92);
    allow(MessageType.SUBACK, 0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);
    allow(MessageType.UNSUBACK, 0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);
    allow(MessageType.DISCONNECT, 0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D,
        0x8E, 0x8F, 0x90, 0x93, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0,
        0xA1, 0xA2);
    allow(MessageType.AUTH, 0x00, 0x18, 0x19);
  }

  private ReasonCode() {}

  private static void allow(MessageType type, int... codes) {
    boolean[] allowed = new boolean[256];
    for (int code : codes) {
      allowed[code] = true;
    }
    ALLOWED.put(type, allowed);
  }

  /** Whether {@code code} reports a failure (0x80 and up). */
  public static boolean isError(int code) {
    return code >= 0x80;
  }

  /**
   * Whether a message of {@code type} may carry {@code code}; false for types without a reason
   * code.
   */
  public static boolean isAllowed(MessageType type, int code) {
    boolean[] allowed = ALLOWED.get(type);
    return allowed != null && code >= 0 && code < 256 && allowed[code];
  }

  /** Checks a record's reason code: {@code "SUBACK.reasonCode: 0x10 is not allowed ..."}. */
  static int check(MessageType type, int code) {
    if (!isAllowed(type, code)) {
      throw new IllegalArgumentException(
          type + ".reasonCode: " + hex(code) + " is not a reason code of " + type);
    }
    return code;
  }

  /** {@code 0x8f}-style, for messages. */
  static String hex(int code) {
    return String.format("0x%02X", code);
  }

  /** A readable name, e.g. {@code "not authorized"}; the meaning of 0x00 depends on the message. */
  public static String name(int code) {
    switch (code) {
      case 0x00: return "success";
      case 0x01: return "granted QoS 1";
      case 0x02: return "granted QoS 2";
      case 0x04: return "disconnect with will message";
      case 0x10: return "no matching subscribers";
      case 0x11: return "no subscription existed";
      case 0x18: return "continue authentication";
      case 0x19: return "re-authenticate";
      case 0x80: return "unspecified error";
      case 0x81: return "malformed packet";
      case 0x82: return "protocol error";
      case 0x83: return "implementation specific error";
      case 0x84: return "unsupported protocol version";
      case 0x85: return "client identifier not valid";
      case 0x86: return "bad user name or password";
      case 0x87: return "not authorized";
      case 0x88: return "server unavailable";
      case 0x89: return "server busy";
      case 0x8A: return "banned";
      case 0x8B: return "server shutting down";
      case 0x8C: return "bad authentication method";
      case 0x8D: return "keep alive timeout";
      case 0x8E: return "session taken over";
      case 0x8F: return "topic filter invalid";
      case 0x90: return "topic name invalid";
      case 0x91: return "packet identifier in use";
      case 0x92: return "packet identifier not found";
      case 0x93: return "receive maximum exceeded";
      case 0x95: return "packet too large";
      case 0x96: return "message rate too high";
      case 0x97: return "quota exceeded";
      case 0x98: return "administrative action";
      case 0x99: return "payload format invalid";
      case 0x9A: return "retain not supported";
      case 0x9B: return "QoS not supported";
      case 0x9C: return "use another server";
      case 0x9D: return "server moved";
      case 0x9E: return "shared subscriptions not supported";
      case 0x9F: return "connection rate exceeded";
      case 0xA0: return "maximum connect time";
      case 0xA1: return "subscription identifiers not supported";
      case 0xA2: return "wildcard subscriptions not supported";
      default: return "reason code " + hex(code);
    }
  }
}
