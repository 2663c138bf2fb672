package io.braid.protocol.message;

/**
 * The flag bits of the binary messages of {@link BinaryMessageCodec}: one set per message type,
 * each with a {@code *_KNOWN} mask of the bits this version defines. Shared by {@link
 * BinaryMessageEncoder} and {@link BinaryMessageDecoder}.
 */
final class BinaryLayout {
  // CONNECT flags
  static final int CONNECT_CLEAN_START = 1;
  static final int CONNECT_WILL = 1 << 1;
  static final int CONNECT_USERNAME = 1 << 2;
  static final int CONNECT_PASSWORD = 1 << 3;
  static final int CONNECT_TOKEN = 1 << 4;
  static final int CONNECT_AUTH_METHOD = 1 << 5;
  static final int CONNECT_AUTH_DATA = 1 << 6;
  static final int CONNECT_NO_PROBLEM_INFORMATION = 1 << 7;
  static final int CONNECT_USER_PROPERTIES = 1 << 8;
  static final int CONNECT_KNOWN = (1 << 9) - 1;

  // Will flags (inside CONNECT)
  static final int WILL_QOS = 0x3;
  static final int WILL_RETAIN = 1 << 2;
  static final int WILL_PAYLOAD_UTF8 = 1 << 3;
  static final int WILL_MESSAGE_EXPIRY = 1 << 4;
  static final int WILL_CONTENT_TYPE = 1 << 5;
  static final int WILL_RESPONSE_TOPIC = 1 << 6;
  static final int WILL_CORRELATION_DATA = 1 << 7;
  static final int WILL_USER_PROPERTIES = 1 << 8;
  static final int WILL_KNOWN = (1 << 9) - 1;

  // CONNACK flags
  static final int CONNACK_REASON_CODE = 1;
  static final int CONNACK_SESSION_PRESENT = 1 << 1;
  static final int CONNACK_NO_RETAIN = 1 << 2;
  static final int CONNACK_NO_WILDCARD_SUBSCRIPTION = 1 << 3;
  static final int CONNACK_NO_SHARED_SUBSCRIPTION = 1 << 4;
  static final int CONNACK_NO_SUBSCRIPTION_IDENTIFIERS = 1 << 5;
  static final int CONNACK_MAXIMUM_QOS = 1 << 6;
  static final int CONNACK_ASSIGNED_CLIENT_ID = 1 << 7;
  static final int CONNACK_SERVER_KEEP_ALIVE = 1 << 8;
  static final int CONNACK_SESSION_EXPIRY = 1 << 9;
  static final int CONNACK_MAXIMUM_MESSAGE_SIZE = 1 << 10;
  static final int CONNACK_REASON_STRING = 1 << 11;
  static final int CONNACK_SERVER_REFERENCE = 1 << 12;
  static final int CONNACK_AUTH_METHOD = 1 << 13;
  static final int CONNACK_AUTH_DATA = 1 << 14;
  static final int CONNACK_USER_PROPERTIES = 1 << 15;
  static final int CONNACK_KNOWN = (1 << 16) - 1;

  // PUBLISH flags
  static final int PUBLISH_QOS = 0x3;
  static final int PUBLISH_RETAIN = 1 << 2;
  static final int PUBLISH_DUP = 1 << 3;
  static final int PUBLISH_PAYLOAD_UTF8 = 1 << 4;
  static final int PUBLISH_MESSAGE_EXPIRY = 1 << 5;
  static final int PUBLISH_CONTENT_TYPE = 1 << 6;
  static final int PUBLISH_RESPONSE_TOPIC = 1 << 7;
  static final int PUBLISH_CORRELATION_DATA = 1 << 8;
  static final int PUBLISH_SUBSCRIPTION_IDENTIFIERS = 1 << 9;
  static final int PUBLISH_USER_PROPERTIES = 1 << 10;
  static final int PUBLISH_POSITION = 1 << 11;
  static final int PUBLISH_KNOWN = (1 << 12) - 1;

  // PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK flags
  static final int ACK_REASON_CODE = 1;
  static final int ACK_REASON_STRING = 1 << 1;
  static final int ACK_USER_PROPERTIES = 1 << 2;
  static final int ACK_KNOWN = (1 << 3) - 1;
  static final int SUBACK_RECOVERY = 1 << 3;
  static final int SUBACK_KNOWN = (1 << 4) - 1;

  // SUBACK recovery flags
  static final int RECOVERY_STATUS = 0x3;
  static final int RECOVERY_LATEST = 1 << 2;
  static final int RECOVERY_KNOWN = (1 << 3) - 1;

  // SUBSCRIBE flags: bits 0-5 are MQTT 5's subscription options byte
  static final int SUBSCRIBE_MAX_QOS = 0x3;
  static final int SUBSCRIBE_NO_LOCAL = 1 << 2;
  static final int SUBSCRIBE_RETAIN_AS_PUBLISHED = 1 << 3;
  static final int SUBSCRIBE_RETAIN_HANDLING_SHIFT = 4;
  static final int SUBSCRIBE_SUBSCRIPTION_IDENTIFIER = 1 << 6;
  static final int SUBSCRIBE_USER_PROPERTIES = 1 << 7;
  static final int SUBSCRIBE_START_SHIFT = 8;
  static final int SUBSCRIBE_START = 0x3 << SUBSCRIBE_START_SHIFT;
  static final int SUBSCRIBE_OVERFLOW_SHIFT = 10;
  static final int SUBSCRIBE_OVERFLOW = 0x7 << SUBSCRIBE_OVERFLOW_SHIFT;
  static final int SUBSCRIBE_MAX_QUEUED = 1 << 13;
  static final int SUBSCRIBE_KNOWN = (1 << 14) - 1;

  // UNSUBSCRIBE flags
  static final int UNSUBSCRIBE_USER_PROPERTIES = 1;
  static final int UNSUBSCRIBE_KNOWN = 1;

  // DISCONNECT flags
  static final int DISCONNECT_REASON_CODE = 1;
  static final int DISCONNECT_SESSION_EXPIRY = 1 << 1;
  static final int DISCONNECT_REASON_STRING = 1 << 2;
  static final int DISCONNECT_SERVER_REFERENCE = 1 << 3;
  static final int DISCONNECT_USER_PROPERTIES = 1 << 4;
  static final int DISCONNECT_KNOWN = (1 << 5) - 1;

  // AUTH flags
  static final int AUTH_REASON_CODE = 1;
  static final int AUTH_AUTH_DATA = 1 << 1;
  static final int AUTH_REASON_STRING = 1 << 2;
  static final int AUTH_USER_PROPERTIES = 1 << 3;
  static final int AUTH_KNOWN = (1 << 4) - 1;

  private BinaryLayout() {}
}
