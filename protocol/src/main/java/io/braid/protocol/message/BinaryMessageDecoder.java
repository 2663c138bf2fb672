package io.braid.protocol.message;

import static io.braid.protocol.message.BinaryLayout.ACK_KNOWN;
import static io.braid.protocol.message.BinaryLayout.ACK_REASON_CODE;
import static io.braid.protocol.message.BinaryLayout.ACK_REASON_STRING;
import static io.braid.protocol.message.BinaryLayout.ACK_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.AUTH_AUTH_DATA;
import static io.braid.protocol.message.BinaryLayout.AUTH_KNOWN;
import static io.braid.protocol.message.BinaryLayout.AUTH_REASON_CODE;
import static io.braid.protocol.message.BinaryLayout.AUTH_REASON_STRING;
import static io.braid.protocol.message.BinaryLayout.AUTH_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.CONNACK_ASSIGNED_CLIENT_ID;
import static io.braid.protocol.message.BinaryLayout.CONNACK_AUTH_DATA;
import static io.braid.protocol.message.BinaryLayout.CONNACK_AUTH_METHOD;
import static io.braid.protocol.message.BinaryLayout.CONNACK_KNOWN;
import static io.braid.protocol.message.BinaryLayout.CONNACK_MAXIMUM_MESSAGE_SIZE;
import static io.braid.protocol.message.BinaryLayout.CONNACK_MAXIMUM_QOS;
import static io.braid.protocol.message.BinaryLayout.CONNACK_NO_RETAIN;
import static io.braid.protocol.message.BinaryLayout.CONNACK_NO_SHARED_SUBSCRIPTION;
import static io.braid.protocol.message.BinaryLayout.CONNACK_NO_SUBSCRIPTION_IDENTIFIERS;
import static io.braid.protocol.message.BinaryLayout.CONNACK_NO_WILDCARD_SUBSCRIPTION;
import static io.braid.protocol.message.BinaryLayout.CONNACK_REASON_CODE;
import static io.braid.protocol.message.BinaryLayout.CONNACK_REASON_STRING;
import static io.braid.protocol.message.BinaryLayout.CONNACK_SERVER_KEEP_ALIVE;
import static io.braid.protocol.message.BinaryLayout.CONNACK_SERVER_REFERENCE;
import static io.braid.protocol.message.BinaryLayout.CONNACK_SESSION_EXPIRY;
import static io.braid.protocol.message.BinaryLayout.CONNACK_SESSION_PRESENT;
import static io.braid.protocol.message.BinaryLayout.CONNACK_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.CONNECT_AUTH_DATA;
import static io.braid.protocol.message.BinaryLayout.CONNECT_AUTH_METHOD;
import static io.braid.protocol.message.BinaryLayout.CONNECT_CLEAN_START;
import static io.braid.protocol.message.BinaryLayout.CONNECT_KNOWN;
import static io.braid.protocol.message.BinaryLayout.CONNECT_NO_PROBLEM_INFORMATION;
import static io.braid.protocol.message.BinaryLayout.CONNECT_PASSWORD;
import static io.braid.protocol.message.BinaryLayout.CONNECT_TOKEN;
import static io.braid.protocol.message.BinaryLayout.CONNECT_USERNAME;
import static io.braid.protocol.message.BinaryLayout.CONNECT_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.CONNECT_WILL;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_KNOWN;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_REASON_CODE;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_REASON_STRING;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_SERVER_REFERENCE;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_SESSION_EXPIRY;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_CONTENT_TYPE;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_CORRELATION_DATA;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_DUP;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_KNOWN;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_MESSAGE_EXPIRY;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_PAYLOAD_UTF8;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_POSITION;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_QOS;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_RESPONSE_TOPIC;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_RETAIN;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_SUBSCRIPTION_IDENTIFIERS;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.SUBACK_KNOWN;
import static io.braid.protocol.message.BinaryLayout.SUBACK_RECOVERY;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_KNOWN;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_MAX_QOS;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_MAX_QUEUED;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_NO_LOCAL;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_OVERFLOW;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_OVERFLOW_SHIFT;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_RETAIN_AS_PUBLISHED;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_RETAIN_HANDLING_SHIFT;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_START;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_START_SHIFT;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_SUBSCRIPTION_IDENTIFIER;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.UNSUBSCRIBE_KNOWN;
import static io.braid.protocol.message.BinaryLayout.UNSUBSCRIBE_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.WILL_CONTENT_TYPE;
import static io.braid.protocol.message.BinaryLayout.WILL_CORRELATION_DATA;
import static io.braid.protocol.message.BinaryLayout.WILL_KNOWN;
import static io.braid.protocol.message.BinaryLayout.WILL_MESSAGE_EXPIRY;
import static io.braid.protocol.message.BinaryLayout.WILL_PAYLOAD_UTF8;
import static io.braid.protocol.message.BinaryLayout.WILL_QOS;
import static io.braid.protocol.message.BinaryLayout.WILL_RESPONSE_TOPIC;
import static io.braid.protocol.message.BinaryLayout.WILL_RETAIN;
import static io.braid.protocol.message.BinaryLayout.WILL_USER_PROPERTIES;

import io.braid.protocol.codec.ByteReader;
import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The decoding half of {@link BinaryMessageCodec}: bytes fields of a result are slices of the
 * input, and every violation is a {@link MalformedException}. Stateless and thread safe.
 */
final class BinaryMessageDecoder {
  private BinaryMessageDecoder() {}

  static BraidMessage decode(Buffer payload) {
    return decode(payload, 0, payload.length());
  }

  /**
   * Decodes the one message held by {@code buffer} from {@code start} to {@code end}; the bytes
   * fields of the result are slices of {@code buffer}.
   *
   * @throws MalformedException naming the field and the broken rule
   */
  static BraidMessage decode(Buffer buffer, int start, int end) {
    ByteReader r = new ByteReader(buffer, start, end);
    int code = r.readU8("message.type");
    MessageType type = MessageType.ofCode(code);
    if (type == null) {
      throw new MalformedException("message.type", "unknown message type " + ReasonCode.hex(code));
    }
    try {
      switch (type) {
        case PUBLISH: return readPublish(r);
        case PUBACK: return readPublishAck(r, MessageType.PUBACK);
        case PUBREC: return readPublishAck(r, MessageType.PUBREC);
        case PUBREL: return readPublishAck(r, MessageType.PUBREL);
        case PUBCOMP: return readPublishAck(r, MessageType.PUBCOMP);
        case CONNECT: return readConnect(r);
        case CONNACK: return readConnAck(r);
        case SUBSCRIBE: return readSubscribe(r);
        case SUBACK: return readSubAck(r);
        case UNSUBSCRIBE: return readUnsubscribe(r);
        case UNSUBACK: return readUnsubAck(r);
        case PING: return new Ping(r.readRest());
        case PONG: return new Pong(r.readRest());
        case DISCONNECT: return readDisconnect(r);
        case AUTH: return readAuth(r);
        default: throw new IllegalStateException("unknown message type " + type);
      }
    } catch (IllegalArgumentException e) {
      // A record invariant the reader did not check first: its message is "FIELD: rule".
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      throw colon > 0
          ? new MalformedException(message.substring(0, colon), message.substring(colon + 2))
          : new MalformedException(type.name(), message);
    }
  }

  private static Publish readPublish(ByteReader r) {
    int flags = readFlags(r, "PUBLISH.flags", PUBLISH_KNOWN);
    int qos = flags & PUBLISH_QOS;
    if (qos == 3) {
      throw new MalformedException("PUBLISH.qos", "must be 0, 1 or 2, was 3");
    }
    boolean dup = (flags & PUBLISH_DUP) != 0;
    if (dup && qos == 0) {
      throw new MalformedException("PUBLISH.dup", "must be 0 at QoS 0 [MQTT-3.3.1-2]");
    }
    String topic = r.readString("PUBLISH.topic");
    int packetId = qos > 0 ? r.readVarint("PUBLISH.packetId", 1, BraidMessage.MAX_PACKET_ID) : 0;
    long messageExpiryInterval = BraidMessage.ABSENT;
    String contentType = null;
    String responseTopic = null;
    Buffer correlationData = null;
    List<Integer> subscriptionIdentifiers = List.of();
    List<UserProperty> userProperties = List.of();
    TopicPosition position = null;
    if ((flags & ~(PUBLISH_QOS | PUBLISH_RETAIN | PUBLISH_DUP | PUBLISH_PAYLOAD_UTF8)) != 0) {
      if ((flags & PUBLISH_MESSAGE_EXPIRY) != 0) messageExpiryInterval = r.readVarint("PUBLISH.messageExpiryInterval");
      if ((flags & PUBLISH_CONTENT_TYPE) != 0) contentType = r.readString("PUBLISH.contentType");
      if ((flags & PUBLISH_RESPONSE_TOPIC) != 0) responseTopic = r.readString("PUBLISH.responseTopic");
      if ((flags & PUBLISH_CORRELATION_DATA) != 0) correlationData = r.readBytes("PUBLISH.correlationData");
      if ((flags & PUBLISH_SUBSCRIPTION_IDENTIFIERS) != 0) subscriptionIdentifiers = readSubscriptionIdentifiers(r);
      if ((flags & PUBLISH_USER_PROPERTIES) != 0) userProperties = readUserProperties(r, "PUBLISH.userProperties");
      if ((flags & PUBLISH_POSITION) != 0) position = BinaryHistoryFields.readPosition(r, "PUBLISH.position");
    }
    Buffer payload = r.readRest();
    return new Publish(topic, payload, qos, (flags & PUBLISH_RETAIN) != 0, dup, packetId,
        messageExpiryInterval, (flags & PUBLISH_PAYLOAD_UTF8) != 0 ? 1 : 0, contentType, responseTopic,
        correlationData, subscriptionIdentifiers, userProperties, position);
  }

  private static List<Integer> readSubscriptionIdentifiers(ByteReader r) {
    int count = readCount(r, "PUBLISH.subscriptionIdentifiers", 1);
    Integer[] ids = new Integer[count];
    for (int i = 0; i < count; i++) {
      ids[i] = r.readVarint("PUBLISH.subscriptionIdentifiers", 1, BraidMessage.MAX_SUBSCRIPTION_IDENTIFIER);
    }
    return List.of(ids);
  }

  private static PublishAck readPublishAck(ByteReader r, MessageType type) {
    String prefix = type.name();
    int flags = readFlags(r, flagsField(type), ACK_KNOWN);
    int packetId = r.readVarint(packetIdField(type), 1, BraidMessage.MAX_PACKET_ID);
    int reasonCode = readReasonCode(r, flags, ACK_REASON_CODE, type);
    String reasonString = (flags & ACK_REASON_STRING) != 0 ? r.readString(prefix + ".reasonString") : null;
    List<UserProperty> userProperties = (flags & ACK_USER_PROPERTIES) != 0
        ? readUserProperties(r, prefix + ".userProperties")
        : List.of();
    expectEnd(r, type);
    switch (type) {
      case PUBACK: return new PubAck(packetId, reasonCode, reasonString, userProperties);
      case PUBREC: return new PubRec(packetId, reasonCode, reasonString, userProperties);
      case PUBREL: return new PubRel(packetId, reasonCode, reasonString, userProperties);
      default: return new PubComp(packetId, reasonCode, reasonString, userProperties);
    }
  }

  private static String flagsField(MessageType type) {
    switch (type) {
      case PUBACK: return "PUBACK.flags";
      case PUBREC: return "PUBREC.flags";
      case PUBREL: return "PUBREL.flags";
      case PUBCOMP: return "PUBCOMP.flags";
      case SUBACK: return "SUBACK.flags";
      default: return "UNSUBACK.flags";
    }
  }

  private static String packetIdField(MessageType type) {
    switch (type) {
      case PUBACK: return "PUBACK.packetId";
      case PUBREC: return "PUBREC.packetId";
      case PUBREL: return "PUBREL.packetId";
      default: return "PUBCOMP.packetId";
    }
  }

  private static Connect readConnect(ByteReader r) {
    int flags = readFlags(r, "CONNECT.flags", CONNECT_KNOWN);
    String clientId = r.readString("CONNECT.clientId");
    int keepAlive = r.readVarint("CONNECT.keepAlive", 0, 0xFFFF);
    long sessionExpiryInterval = r.readVarint("CONNECT.sessionExpiryInterval");
    ConnectWill will = (flags & CONNECT_WILL) != 0 ? readWill(r) : null;
    String username = (flags & CONNECT_USERNAME) != 0 ? r.readString("CONNECT.username") : null;
    Buffer password = (flags & CONNECT_PASSWORD) != 0 ? r.readBytes("CONNECT.password") : null;
    String token = (flags & CONNECT_TOKEN) != 0 ? r.readString("CONNECT.token") : null;
    String authMethod = (flags & CONNECT_AUTH_METHOD) != 0 ? r.readString("CONNECT.authMethod") : null;
    Buffer authData = (flags & CONNECT_AUTH_DATA) != 0 ? r.readBytes("CONNECT.authData") : null;
    List<UserProperty> userProperties = (flags & CONNECT_USER_PROPERTIES) != 0
        ? readUserProperties(r, "CONNECT.userProperties")
        : List.of();
    expectEnd(r, MessageType.CONNECT);
    return new Connect(clientId, (flags & CONNECT_CLEAN_START) != 0, keepAlive, sessionExpiryInterval, will,
        username, password, token, authMethod, authData, (flags & CONNECT_NO_PROBLEM_INFORMATION) == 0,
        userProperties);
  }

  private static ConnectWill readWill(ByteReader r) {
    int flags = readFlags(r, "CONNECT.will.flags", WILL_KNOWN);
    int qos = flags & WILL_QOS;
    if (qos == 3) {
      throw new MalformedException("CONNECT.will.qos", "must be 0, 1 or 2, was 3");
    }
    String topic = r.readString("CONNECT.will.topic");
    Buffer payload = r.readBytes("CONNECT.will.payload");
    long delayInterval = r.readVarint("CONNECT.will.delayInterval");
    long messageExpiryInterval = (flags & WILL_MESSAGE_EXPIRY) != 0
        ? r.readVarint("CONNECT.will.messageExpiryInterval")
        : BraidMessage.ABSENT;
    String contentType = (flags & WILL_CONTENT_TYPE) != 0 ? r.readString("CONNECT.will.contentType") : null;
    String responseTopic = (flags & WILL_RESPONSE_TOPIC) != 0 ? r.readString("CONNECT.will.responseTopic") : null;
    Buffer correlationData = (flags & WILL_CORRELATION_DATA) != 0 ? r.readBytes("CONNECT.will.correlationData") : null;
    List<UserProperty> userProperties = (flags & WILL_USER_PROPERTIES) != 0
        ? readUserProperties(r, "CONNECT.will.userProperties")
        : List.of();
    return new ConnectWill(topic, payload, qos, (flags & WILL_RETAIN) != 0, delayInterval, messageExpiryInterval,
        (flags & WILL_PAYLOAD_UTF8) != 0 ? 1 : 0, contentType, responseTopic, correlationData, userProperties);
  }

  private static ConnAck readConnAck(ByteReader r) {
    int flags = readFlags(r, "CONNACK.flags", CONNACK_KNOWN);
    int reasonCode = readReasonCode(r, flags, CONNACK_REASON_CODE, MessageType.CONNACK);
    int maximumQos = 2;
    if ((flags & CONNACK_MAXIMUM_QOS) != 0) {
      maximumQos = r.readU8("CONNACK.maximumQos");
      if (maximumQos > 2) {
        throw new MalformedException("CONNACK.maximumQos", "must be 0, 1 or 2, was " + maximumQos);
      }
    }
    String assignedClientId = (flags & CONNACK_ASSIGNED_CLIENT_ID) != 0 ? r.readString("CONNACK.assignedClientId") : null;
    int serverKeepAlive = (flags & CONNACK_SERVER_KEEP_ALIVE) != 0
        ? r.readVarint("CONNACK.serverKeepAlive", 0, 0xFFFF)
        : BraidMessage.ABSENT;
    long sessionExpiryInterval = (flags & CONNACK_SESSION_EXPIRY) != 0
        ? r.readVarint("CONNACK.sessionExpiryInterval")
        : BraidMessage.ABSENT;
    long maximumMessageSize = BraidMessage.ABSENT;
    if ((flags & CONNACK_MAXIMUM_MESSAGE_SIZE) != 0) {
      maximumMessageSize = r.readVarint("CONNACK.maximumMessageSize");
      if (maximumMessageSize == 0) {
        throw new MalformedException("CONNACK.maximumMessageSize", "must be 1..4294967295, was 0");
      }
    }
    String reasonString = (flags & CONNACK_REASON_STRING) != 0 ? r.readString("CONNACK.reasonString") : null;
    String serverReference = (flags & CONNACK_SERVER_REFERENCE) != 0 ? r.readString("CONNACK.serverReference") : null;
    String authMethod = (flags & CONNACK_AUTH_METHOD) != 0 ? r.readString("CONNACK.authMethod") : null;
    Buffer authData = (flags & CONNACK_AUTH_DATA) != 0 ? r.readBytes("CONNACK.authData") : null;
    List<UserProperty> userProperties = (flags & CONNACK_USER_PROPERTIES) != 0
        ? readUserProperties(r, "CONNACK.userProperties")
        : List.of();
    expectEnd(r, MessageType.CONNACK);
    return new ConnAck((flags & CONNACK_SESSION_PRESENT) != 0, reasonCode, assignedClientId, serverKeepAlive,
        sessionExpiryInterval, maximumQos, (flags & CONNACK_NO_RETAIN) == 0,
        (flags & CONNACK_NO_WILDCARD_SUBSCRIPTION) == 0, (flags & CONNACK_NO_SHARED_SUBSCRIPTION) == 0,
        (flags & CONNACK_NO_SUBSCRIPTION_IDENTIFIERS) == 0, maximumMessageSize, reasonString, serverReference,
        authMethod, authData, userProperties);
  }

  private static Subscribe readSubscribe(ByteReader r) {
    int flags = readFlags(r, "SUBSCRIBE.flags", SUBSCRIBE_KNOWN);
    int maxQos = flags & SUBSCRIBE_MAX_QOS;
    if (maxQos == 3) {
      throw new MalformedException("SUBSCRIBE.maxQos", "must be 0, 1 or 2, was 3");
    }
    int retainHandling = (flags >> SUBSCRIBE_RETAIN_HANDLING_SHIFT) & 0x3;
    if (retainHandling == 3) {
      throw new MalformedException("SUBSCRIBE.retainHandling", "must be 0, 1 or 2, was 3");
    }
    String topicFilter = r.readString("SUBSCRIBE.topicFilter");
    int subscriptionIdentifier = (flags & SUBSCRIBE_SUBSCRIPTION_IDENTIFIER) != 0
        ? r.readVarint("SUBSCRIBE.subscriptionIdentifier", 1, BraidMessage.MAX_SUBSCRIPTION_IDENTIFIER)
        : BraidMessage.ABSENT;
    int overflowCode = (flags & SUBSCRIBE_OVERFLOW) >> SUBSCRIBE_OVERFLOW_SHIFT;
    OverflowPolicy overflow = OverflowPolicy.ofCode(overflowCode);
    if (overflowCode != 0 && overflow == null) {
      throw new MalformedException("SUBSCRIBE.overflow", "must be 0..4, was " + overflowCode);
    }
    SubscribeStart start = BinaryHistoryFields.readStart(r, (flags & SUBSCRIBE_START) >> SUBSCRIBE_START_SHIFT);
    int maxQueued = (flags & SUBSCRIBE_MAX_QUEUED) != 0
        ? r.readVarint("SUBSCRIBE.maxQueued", 1, Integer.MAX_VALUE)
        : BraidMessage.ABSENT;
    List<UserProperty> userProperties = (flags & SUBSCRIBE_USER_PROPERTIES) != 0
        ? readUserProperties(r, "SUBSCRIBE.userProperties")
        : List.of();
    expectEnd(r, MessageType.SUBSCRIBE);
    SubscribeOptions options = new SubscribeOptions(maxQos, (flags & SUBSCRIBE_NO_LOCAL) != 0,
        (flags & SUBSCRIBE_RETAIN_AS_PUBLISHED) != 0, retainHandling);
    return new Subscribe(topicFilter, options, subscriptionIdentifier, userProperties, start, overflow, maxQueued);
  }

  private static SubAck readSubAck(ByteReader r) {
    int flags = readFlags(r, "SUBACK.flags", SUBACK_KNOWN);
    int reasonCode = readReasonCode(r, flags, ACK_REASON_CODE, MessageType.SUBACK);
    String reasonString = (flags & ACK_REASON_STRING) != 0 ? r.readString("SUBACK.reasonString") : null;
    List<UserProperty> userProperties = (flags & ACK_USER_PROPERTIES) != 0
        ? readUserProperties(r, "SUBACK.userProperties")
        : List.of();
    RecoveryReport recovery = (flags & SUBACK_RECOVERY) != 0 ? BinaryHistoryFields.readRecovery(r) : null;
    expectEnd(r, MessageType.SUBACK);
    return new SubAck(reasonCode, reasonString, userProperties, recovery);
  }

  private static Unsubscribe readUnsubscribe(ByteReader r) {
    int flags = readFlags(r, "UNSUBSCRIBE.flags", UNSUBSCRIBE_KNOWN);
    List<UserProperty> userProperties = (flags & UNSUBSCRIBE_USER_PROPERTIES) != 0
        ? readUserProperties(r, "UNSUBSCRIBE.userProperties")
        : List.of();
    expectEnd(r, MessageType.UNSUBSCRIBE);
    return new Unsubscribe(userProperties);
  }

  private static UnsubAck readUnsubAck(ByteReader r) {
    int flags = readFlags(r, "UNSUBACK.flags", ACK_KNOWN);
    int reasonCode = readReasonCode(r, flags, ACK_REASON_CODE, MessageType.UNSUBACK);
    String reasonString = (flags & ACK_REASON_STRING) != 0 ? r.readString("UNSUBACK.reasonString") : null;
    List<UserProperty> userProperties = (flags & ACK_USER_PROPERTIES) != 0
        ? readUserProperties(r, "UNSUBACK.userProperties")
        : List.of();
    expectEnd(r, MessageType.UNSUBACK);
    return new UnsubAck(reasonCode, reasonString, userProperties);
  }

  private static Disconnect readDisconnect(ByteReader r) {
    int flags = readFlags(r, "DISCONNECT.flags", DISCONNECT_KNOWN);
    int reasonCode = readReasonCode(r, flags, DISCONNECT_REASON_CODE, MessageType.DISCONNECT);
    long sessionExpiryInterval = (flags & DISCONNECT_SESSION_EXPIRY) != 0
        ? r.readVarint("DISCONNECT.sessionExpiryInterval")
        : BraidMessage.ABSENT;
    String reasonString = (flags & DISCONNECT_REASON_STRING) != 0 ? r.readString("DISCONNECT.reasonString") : null;
    String serverReference = (flags & DISCONNECT_SERVER_REFERENCE) != 0 ? r.readString("DISCONNECT.serverReference") : null;
    List<UserProperty> userProperties = (flags & DISCONNECT_USER_PROPERTIES) != 0
        ? readUserProperties(r, "DISCONNECT.userProperties")
        : List.of();
    expectEnd(r, MessageType.DISCONNECT);
    return new Disconnect(reasonCode, sessionExpiryInterval, reasonString, serverReference, userProperties);
  }

  private static Auth readAuth(ByteReader r) {
    int flags = readFlags(r, "AUTH.flags", AUTH_KNOWN);
    int reasonCode = readReasonCode(r, flags, AUTH_REASON_CODE, MessageType.AUTH);
    String authMethod = r.readString("AUTH.authMethod");
    Buffer authData = (flags & AUTH_AUTH_DATA) != 0 ? r.readBytes("AUTH.authData") : null;
    String reasonString = (flags & AUTH_REASON_STRING) != 0 ? r.readString("AUTH.reasonString") : null;
    List<UserProperty> userProperties = (flags & AUTH_USER_PROPERTIES) != 0
        ? readUserProperties(r, "AUTH.userProperties")
        : List.of();
    expectEnd(r, MessageType.AUTH);
    return new Auth(reasonCode, authMethod, authData, reasonString, userProperties);
  }

  // Decoding primitives

  /** The flags varint; a bit this version does not define is an error. */
  private static int readFlags(ByteReader r, String field, int known) {
    long flags = r.readVarint(field);
    if ((flags & ~known) != 0) {
      throw new MalformedException(field, "undefined bits set: 0x" + Long.toHexString(flags & ~known));
    }
    return (int) flags;
  }

  /** The reason code when its flag is set (0x00 otherwise), checked against the type's codes. */
  private static int readReasonCode(ByteReader r, int flags, int bit, MessageType type) {
    if ((flags & bit) == 0) {
      return ReasonCode.SUCCESS;
    }
    String field = type.name() + ".reasonCode";
    int code = r.readU8(field);
    if (!ReasonCode.isAllowed(type, code)) {
      throw new MalformedException(field, ReasonCode.hex(code) + " is not a reason code of " + type);
    }
    return code;
  }

  /**
   * A list's element count: at least 1 (an empty list is written by clearing the flag), and no
   * more than the bytes left divided by the smallest element's size, so that a lying count cannot
   * make the decoder allocate.
   */
  private static int readCount(ByteReader r, String field, int minElementSize) {
    long count = r.readVarint(field);
    if (count == 0) {
      throw new MalformedException(field, "count must be at least 1 when present");
    }
    if (count > r.remaining() / minElementSize) {
      throw new MalformedException(field, "count " + count + " past the end (" + r.remaining() + " bytes left)");
    }
    return (int) count;
  }

  private static List<UserProperty> readUserProperties(ByteReader r, String field) {
    int count = readCount(r, field, 2);
    String nameField = field + ".name";
    String valueField = field + ".value";
    UserProperty[] properties = new UserProperty[count];
    for (int i = 0; i < count; i++) {
      properties[i] = new UserProperty(r.readString(nameField), r.readString(valueField));
    }
    return List.of(properties);
  }

  private static void expectEnd(ByteReader r, MessageType type) {
    if (r.hasRemaining()) {
      throw new MalformedException(type.name(), r.remaining() + " bytes after the last field");
    }
  }
}
