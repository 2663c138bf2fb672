package io.braid.protocol.message;

import static io.braid.protocol.codec.ByteWriter.varintSize;
import static io.braid.protocol.codec.ByteWriter.writeBytes;
import static io.braid.protocol.codec.ByteWriter.writeU8;
import static io.braid.protocol.codec.ByteWriter.writeVarint;

import io.braid.protocol.codec.ByteReader;
import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary message codec of subprotocol {@code braid.v1} (docs/PROTOCOL.md, "Messages"). A message
 * is a type byte, a varint of flags (presence bits and booleans; unknown bits must be 0), then its
 * fields in a fixed order, optional ones only when their flag is set:
 *
 * <pre>
 *   u8 type | varint flags | fields... | (PUBLISH: payload = the rest, no length prefix)
 * </pre>
 *
 * <p>Decoding never copies a payload: PUBLISH's payload, PING's data and every {@code bytes} field
 * are slices of the input. Any input that is not exactly one well-formed message fails with a
 * {@link MalformedException} naming the field ({@code "PUBLISH.topic"}, {@code
 * "CONNECT.will.qos"}) and the rule; no other exception escapes {@link #decode}.
 *
 * <p>Encoding computes the exact size first and writes straight into one buffer. Strings holding a
 * lone surrogate (no UTF-8 form) are refused with an {@link IllegalArgumentException}.
 *
 * <p>Stateless and thread safe.
 */
public final class BinaryMessageCodec implements MessageCodec {
  public static final String SUBPROTOCOL = "braid.v1";
  public static final BinaryMessageCodec INSTANCE = new BinaryMessageCodec();

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
  static final int PUBLISH_KNOWN = (1 << 11) - 1;

  // PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK flags
  static final int ACK_REASON_CODE = 1;
  static final int ACK_REASON_STRING = 1 << 1;
  static final int ACK_USER_PROPERTIES = 1 << 2;
  static final int ACK_KNOWN = (1 << 3) - 1;

  // SUBSCRIBE flags: bits 0-5 are MQTT 5's subscription options byte
  static final int SUBSCRIBE_MAX_QOS = 0x3;
  static final int SUBSCRIBE_NO_LOCAL = 1 << 2;
  static final int SUBSCRIBE_RETAIN_AS_PUBLISHED = 1 << 3;
  static final int SUBSCRIBE_RETAIN_HANDLING_SHIFT = 4;
  static final int SUBSCRIBE_SUBSCRIPTION_IDENTIFIER = 1 << 6;
  static final int SUBSCRIBE_USER_PROPERTIES = 1 << 7;
  static final int SUBSCRIBE_KNOWN = (1 << 8) - 1;

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

  private BinaryMessageCodec() {}

  @Override
  public String subprotocol() {
    return SUBPROTOCOL;
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  @Override
  public Buffer encode(BraidMessage message) {
    if (message instanceof Publish) {
      Publish publish = (Publish) message;
      int topicLength = Utf8.length(publish.topic(), "PUBLISH.topic");
      Buffer out = Buffer.buffer(publishSize(publish, topicLength));
      writePublish(publish, topicLength, out);
      return out;
    }
    return encode(message, Buffer.buffer(encodedSize(message)));
  }

  @Override
  public Buffer encode(BraidMessage message, Buffer out) {
    switch (message.type()) {
      case CONNECT: writeConnect((Connect) message, out); break;
      case CONNACK: writeConnAck((ConnAck) message, out); break;
      case PUBLISH: {
        Publish publish = (Publish) message;
        writePublish(publish, Utf8.length(publish.topic(), "PUBLISH.topic"), out);
        break;
      }
      case PUBACK: case PUBREC: case PUBREL: case PUBCOMP:
        writePublishAck((PublishAck) message, out);
        break;
      case SUBSCRIBE: writeSubscribe((Subscribe) message, out); break;
      case SUBACK: {
        SubAck m = (SubAck) message;
        writeAck(MessageType.SUBACK, m.reasonCode(), m.reasonString(), m.userProperties(), out);
        break;
      }
      case UNSUBSCRIBE: writeUnsubscribe((Unsubscribe) message, out); break;
      case UNSUBACK: {
        UnsubAck m = (UnsubAck) message;
        writeAck(MessageType.UNSUBACK, m.reasonCode(), m.reasonString(), m.userProperties(), out);
        break;
      }
      case PING: writeU8(out, MessageType.PING.code()).appendBuffer(((Ping) message).data()); break;
      case PONG: writeU8(out, MessageType.PONG.code()).appendBuffer(((Pong) message).data()); break;
      case DISCONNECT: writeDisconnect((Disconnect) message, out); break;
      case AUTH: writeAuth((Auth) message, out); break;
      default: throw new IllegalStateException("unknown message type " + message.type());
    }
    return out;
  }

  /** The exact number of bytes {@link #encode} produces for {@code message}. */
  public int encodedSize(BraidMessage message) {
    switch (message.type()) {
      case CONNECT: return connectSize((Connect) message);
      case CONNACK: return connAckSize((ConnAck) message);
      case PUBLISH: {
        Publish publish = (Publish) message;
        return publishSize(publish, Utf8.length(publish.topic(), "PUBLISH.topic"));
      }
      case PUBACK: case PUBREC: case PUBREL: case PUBCOMP: {
        PublishAck m = (PublishAck) message;
        return varintSize(m.packetId()) + ackSize(m.type(), m.reasonCode(), m.reasonString(), m.userProperties());
      }
      case SUBSCRIBE: return subscribeSize((Subscribe) message);
      case SUBACK: {
        SubAck m = (SubAck) message;
        return ackSize(MessageType.SUBACK, m.reasonCode(), m.reasonString(), m.userProperties());
      }
      case UNSUBSCRIBE: {
        List<UserProperty> properties = ((Unsubscribe) message).userProperties();
        return 2 + (properties.isEmpty() ? 0 : userPropertiesSize(properties, "UNSUBSCRIBE.userProperties"));
      }
      case UNSUBACK: {
        UnsubAck m = (UnsubAck) message;
        return ackSize(MessageType.UNSUBACK, m.reasonCode(), m.reasonString(), m.userProperties());
      }
      case PING: return 1 + ((Ping) message).data().length();
      case PONG: return 1 + ((Pong) message).data().length();
      case DISCONNECT: return disconnectSize((Disconnect) message);
      case AUTH: return authSize((Auth) message);
      default: throw new IllegalStateException("unknown message type " + message.type());
    }
  }

  // PUBLISH: the hot path. Sizes are computed up front; the topic's UTF-8 length once.

  private static int publishFlags(Publish m) {
    int flags = m.qos();
    if (m.retain()) flags |= PUBLISH_RETAIN;
    if (m.dup()) flags |= PUBLISH_DUP;
    if (m.payloadFormatIndicator() == 1) flags |= PUBLISH_PAYLOAD_UTF8;
    if (m.messageExpiryInterval() != BraidMessage.ABSENT) flags |= PUBLISH_MESSAGE_EXPIRY;
    if (m.contentType() != null) flags |= PUBLISH_CONTENT_TYPE;
    if (m.responseTopic() != null) flags |= PUBLISH_RESPONSE_TOPIC;
    if (m.correlationData() != null) flags |= PUBLISH_CORRELATION_DATA;
    if (!m.subscriptionIdentifiers().isEmpty()) flags |= PUBLISH_SUBSCRIPTION_IDENTIFIERS;
    if (!m.userProperties().isEmpty()) flags |= PUBLISH_USER_PROPERTIES;
    return flags;
  }

  private static int publishSize(Publish m, int topicLength) {
    int flags = publishFlags(m);
    int size = 1 + varintSize(flags) + varintSize(topicLength) + topicLength + m.payload().length();
    if (m.qos() > 0) {
      size += varintSize(m.packetId());
    }
    if ((flags & ~(PUBLISH_QOS | PUBLISH_RETAIN | PUBLISH_DUP | PUBLISH_PAYLOAD_UTF8)) != 0) {
      size += publishOptionsSize(m);
    }
    return size;
  }

  private static int publishOptionsSize(Publish m) {
    int size = 0;
    if (m.messageExpiryInterval() != BraidMessage.ABSENT) size += varintSize(m.messageExpiryInterval());
    if (m.contentType() != null) size += stringSize(m.contentType(), "PUBLISH.contentType");
    if (m.responseTopic() != null) size += stringSize(m.responseTopic(), "PUBLISH.responseTopic");
    if (m.correlationData() != null) size += bytesSize(m.correlationData());
    List<Integer> ids = m.subscriptionIdentifiers();
    if (!ids.isEmpty()) {
      size += varintSize(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        size += varintSize(ids.get(i));
      }
    }
    if (!m.userProperties().isEmpty()) size += userPropertiesSize(m.userProperties(), "PUBLISH.userProperties");
    return size;
  }

  private static void writePublish(Publish m, int topicLength, Buffer out) {
    int flags = publishFlags(m);
    writeU8(out, MessageType.PUBLISH.code());
    writeVarint(out, flags);
    writeVarint(out, topicLength);
    Utf8.write(out, m.topic(), topicLength);
    if (m.qos() > 0) {
      writeVarint(out, m.packetId());
    }
    if ((flags & ~(PUBLISH_QOS | PUBLISH_RETAIN | PUBLISH_DUP | PUBLISH_PAYLOAD_UTF8)) != 0) {
      writePublishOptions(m, out);
    }
    out.appendBuffer(m.payload());
  }

  private static void writePublishOptions(Publish m, Buffer out) {
    if (m.messageExpiryInterval() != BraidMessage.ABSENT) writeVarint(out, m.messageExpiryInterval());
    if (m.contentType() != null) writeString(out, m.contentType(), "PUBLISH.contentType");
    if (m.responseTopic() != null) writeString(out, m.responseTopic(), "PUBLISH.responseTopic");
    if (m.correlationData() != null) writeBytes(out, m.correlationData());
    List<Integer> ids = m.subscriptionIdentifiers();
    if (!ids.isEmpty()) {
      writeVarint(out, ids.size());
      for (int i = 0; i < ids.size(); i++) {
        writeVarint(out, ids.get(i));
      }
    }
    if (!m.userProperties().isEmpty()) writeUserProperties(out, m.userProperties(), "PUBLISH.userProperties");
  }

  // CONNECT

  private static int connectFlags(Connect m) {
    int flags = 0;
    if (m.cleanStart()) flags |= CONNECT_CLEAN_START;
    if (m.will() != null) flags |= CONNECT_WILL;
    if (m.username() != null) flags |= CONNECT_USERNAME;
    if (m.password() != null) flags |= CONNECT_PASSWORD;
    if (m.token() != null) flags |= CONNECT_TOKEN;
    if (m.authMethod() != null) flags |= CONNECT_AUTH_METHOD;
    if (m.authData() != null) flags |= CONNECT_AUTH_DATA;
    if (!m.requestProblemInformation()) flags |= CONNECT_NO_PROBLEM_INFORMATION;
    if (!m.userProperties().isEmpty()) flags |= CONNECT_USER_PROPERTIES;
    return flags;
  }

  private static int connectSize(Connect m) {
    int flags = connectFlags(m);
    int size = 1 + varintSize(flags) + stringSize(m.clientId(), "CONNECT.clientId")
        + varintSize(m.keepAlive()) + varintSize(m.sessionExpiryInterval());
    if (m.will() != null) size += willSize(m.will());
    if (m.username() != null) size += stringSize(m.username(), "CONNECT.username");
    if (m.password() != null) size += bytesSize(m.password());
    if (m.token() != null) size += stringSize(m.token(), "CONNECT.token");
    if (m.authMethod() != null) size += stringSize(m.authMethod(), "CONNECT.authMethod");
    if (m.authData() != null) size += bytesSize(m.authData());
    if (!m.userProperties().isEmpty()) size += userPropertiesSize(m.userProperties(), "CONNECT.userProperties");
    return size;
  }

  private static void writeConnect(Connect m, Buffer out) {
    writeU8(out, MessageType.CONNECT.code());
    writeVarint(out, connectFlags(m));
    writeString(out, m.clientId(), "CONNECT.clientId");
    writeVarint(out, m.keepAlive());
    writeVarint(out, m.sessionExpiryInterval());
    if (m.will() != null) writeWill(m.will(), out);
    if (m.username() != null) writeString(out, m.username(), "CONNECT.username");
    if (m.password() != null) writeBytes(out, m.password());
    if (m.token() != null) writeString(out, m.token(), "CONNECT.token");
    if (m.authMethod() != null) writeString(out, m.authMethod(), "CONNECT.authMethod");
    if (m.authData() != null) writeBytes(out, m.authData());
    if (!m.userProperties().isEmpty()) writeUserProperties(out, m.userProperties(), "CONNECT.userProperties");
  }

  private static int willFlags(Will w) {
    int flags = w.qos();
    if (w.retain()) flags |= WILL_RETAIN;
    if (w.payloadFormatIndicator() == 1) flags |= WILL_PAYLOAD_UTF8;
    if (w.messageExpiryInterval() != BraidMessage.ABSENT) flags |= WILL_MESSAGE_EXPIRY;
    if (w.contentType() != null) flags |= WILL_CONTENT_TYPE;
    if (w.responseTopic() != null) flags |= WILL_RESPONSE_TOPIC;
    if (w.correlationData() != null) flags |= WILL_CORRELATION_DATA;
    if (!w.userProperties().isEmpty()) flags |= WILL_USER_PROPERTIES;
    return flags;
  }

  private static int willSize(Will w) {
    int size = varintSize(willFlags(w)) + stringSize(w.topic(), "CONNECT.will.topic") + bytesSize(w.payload())
        + varintSize(w.delayInterval());
    if (w.messageExpiryInterval() != BraidMessage.ABSENT) size += varintSize(w.messageExpiryInterval());
    if (w.contentType() != null) size += stringSize(w.contentType(), "CONNECT.will.contentType");
    if (w.responseTopic() != null) size += stringSize(w.responseTopic(), "CONNECT.will.responseTopic");
    if (w.correlationData() != null) size += bytesSize(w.correlationData());
    if (!w.userProperties().isEmpty()) size += userPropertiesSize(w.userProperties(), "CONNECT.will.userProperties");
    return size;
  }

  private static void writeWill(Will w, Buffer out) {
    writeVarint(out, willFlags(w));
    writeString(out, w.topic(), "CONNECT.will.topic");
    writeBytes(out, w.payload());
    writeVarint(out, w.delayInterval());
    if (w.messageExpiryInterval() != BraidMessage.ABSENT) writeVarint(out, w.messageExpiryInterval());
    if (w.contentType() != null) writeString(out, w.contentType(), "CONNECT.will.contentType");
    if (w.responseTopic() != null) writeString(out, w.responseTopic(), "CONNECT.will.responseTopic");
    if (w.correlationData() != null) writeBytes(out, w.correlationData());
    if (!w.userProperties().isEmpty()) writeUserProperties(out, w.userProperties(), "CONNECT.will.userProperties");
  }

  // CONNACK

  private static int connAckFlags(ConnAck m) {
    int flags = 0;
    if (m.reasonCode() != 0) flags |= CONNACK_REASON_CODE;
    if (m.sessionPresent()) flags |= CONNACK_SESSION_PRESENT;
    if (!m.retainAvailable()) flags |= CONNACK_NO_RETAIN;
    if (!m.wildcardSubscriptionAvailable()) flags |= CONNACK_NO_WILDCARD_SUBSCRIPTION;
    if (!m.sharedSubscriptionAvailable()) flags |= CONNACK_NO_SHARED_SUBSCRIPTION;
    if (!m.subscriptionIdentifiersAvailable()) flags |= CONNACK_NO_SUBSCRIPTION_IDENTIFIERS;
    if (m.maximumQos() != 2) flags |= CONNACK_MAXIMUM_QOS;
    if (m.assignedClientId() != null) flags |= CONNACK_ASSIGNED_CLIENT_ID;
    if (m.serverKeepAlive() != BraidMessage.ABSENT) flags |= CONNACK_SERVER_KEEP_ALIVE;
    if (m.sessionExpiryInterval() != BraidMessage.ABSENT) flags |= CONNACK_SESSION_EXPIRY;
    if (m.maximumMessageSize() != BraidMessage.ABSENT) flags |= CONNACK_MAXIMUM_MESSAGE_SIZE;
    if (m.reasonString() != null) flags |= CONNACK_REASON_STRING;
    if (m.serverReference() != null) flags |= CONNACK_SERVER_REFERENCE;
    if (m.authMethod() != null) flags |= CONNACK_AUTH_METHOD;
    if (m.authData() != null) flags |= CONNACK_AUTH_DATA;
    if (!m.userProperties().isEmpty()) flags |= CONNACK_USER_PROPERTIES;
    return flags;
  }

  private static int connAckSize(ConnAck m) {
    int size = 1 + varintSize(connAckFlags(m));
    if (m.reasonCode() != 0) size += 1;
    if (m.maximumQos() != 2) size += 1;
    if (m.assignedClientId() != null) size += stringSize(m.assignedClientId(), "CONNACK.assignedClientId");
    if (m.serverKeepAlive() != BraidMessage.ABSENT) size += varintSize(m.serverKeepAlive());
    if (m.sessionExpiryInterval() != BraidMessage.ABSENT) size += varintSize(m.sessionExpiryInterval());
    if (m.maximumMessageSize() != BraidMessage.ABSENT) size += varintSize(m.maximumMessageSize());
    if (m.reasonString() != null) size += stringSize(m.reasonString(), "CONNACK.reasonString");
    if (m.serverReference() != null) size += stringSize(m.serverReference(), "CONNACK.serverReference");
    if (m.authMethod() != null) size += stringSize(m.authMethod(), "CONNACK.authMethod");
    if (m.authData() != null) size += bytesSize(m.authData());
    if (!m.userProperties().isEmpty()) size += userPropertiesSize(m.userProperties(), "CONNACK.userProperties");
    return size;
  }

  private static void writeConnAck(ConnAck m, Buffer out) {
    writeU8(out, MessageType.CONNACK.code());
    writeVarint(out, connAckFlags(m));
    if (m.reasonCode() != 0) writeU8(out, m.reasonCode());
    if (m.maximumQos() != 2) writeU8(out, m.maximumQos());
    if (m.assignedClientId() != null) writeString(out, m.assignedClientId(), "CONNACK.assignedClientId");
    if (m.serverKeepAlive() != BraidMessage.ABSENT) writeVarint(out, m.serverKeepAlive());
    if (m.sessionExpiryInterval() != BraidMessage.ABSENT) writeVarint(out, m.sessionExpiryInterval());
    if (m.maximumMessageSize() != BraidMessage.ABSENT) writeVarint(out, m.maximumMessageSize());
    if (m.reasonString() != null) writeString(out, m.reasonString(), "CONNACK.reasonString");
    if (m.serverReference() != null) writeString(out, m.serverReference(), "CONNACK.serverReference");
    if (m.authMethod() != null) writeString(out, m.authMethod(), "CONNACK.authMethod");
    if (m.authData() != null) writeBytes(out, m.authData());
    if (!m.userProperties().isEmpty()) writeUserProperties(out, m.userProperties(), "CONNACK.userProperties");
  }

  // PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK: [packet id], flags, reason code, reason string

  private static int ackFlags(int reasonCode, String reasonString, List<UserProperty> userProperties) {
    int flags = 0;
    if (reasonCode != 0) flags |= ACK_REASON_CODE;
    if (reasonString != null) flags |= ACK_REASON_STRING;
    if (!userProperties.isEmpty()) flags |= ACK_USER_PROPERTIES;
    return flags;
  }

  /** The size of an ack without its packet id. */
  private static int ackSize(MessageType type, int reasonCode, String reasonString, List<UserProperty> userProperties) {
    int size = 2; // type and flags
    if (reasonCode != 0) size += 1;
    if (reasonString != null) size += stringSize(reasonString, type + ".reasonString");
    if (!userProperties.isEmpty()) size += userPropertiesSize(userProperties, type + ".userProperties");
    return size;
  }

  private static void writePublishAck(PublishAck m, Buffer out) {
    writeU8(out, m.type().code());
    writeVarint(out, ackFlags(m.reasonCode(), m.reasonString(), m.userProperties()));
    writeVarint(out, m.packetId());
    writeAckFields(m.type(), m.reasonCode(), m.reasonString(), m.userProperties(), out);
  }

  private static void writeAck(MessageType type, int reasonCode, String reasonString, List<UserProperty> userProperties, Buffer out) {
    writeU8(out, type.code());
    writeVarint(out, ackFlags(reasonCode, reasonString, userProperties));
    writeAckFields(type, reasonCode, reasonString, userProperties, out);
  }

  private static void writeAckFields(MessageType type, int reasonCode, String reasonString, List<UserProperty> userProperties, Buffer out) {
    if (reasonCode != 0) writeU8(out, reasonCode);
    if (reasonString != null) writeString(out, reasonString, type + ".reasonString");
    if (!userProperties.isEmpty()) writeUserProperties(out, userProperties, type + ".userProperties");
  }

  // SUBSCRIBE, UNSUBSCRIBE

  private static int subscribeFlags(Subscribe m) {
    SubscriptionOptions options = m.options();
    int flags = options.maxQos() | options.retainHandling() << SUBSCRIBE_RETAIN_HANDLING_SHIFT;
    if (options.noLocal()) flags |= SUBSCRIBE_NO_LOCAL;
    if (options.retainAsPublished()) flags |= SUBSCRIBE_RETAIN_AS_PUBLISHED;
    if (m.subscriptionIdentifier() != BraidMessage.ABSENT) flags |= SUBSCRIBE_SUBSCRIPTION_IDENTIFIER;
    if (!m.userProperties().isEmpty()) flags |= SUBSCRIBE_USER_PROPERTIES;
    return flags;
  }

  private static int subscribeSize(Subscribe m) {
    int size = 1 + varintSize(subscribeFlags(m)) + stringSize(m.topicFilter(), "SUBSCRIBE.topicFilter");
    if (m.subscriptionIdentifier() != BraidMessage.ABSENT) size += varintSize(m.subscriptionIdentifier());
    if (!m.userProperties().isEmpty()) size += userPropertiesSize(m.userProperties(), "SUBSCRIBE.userProperties");
    return size;
  }

  private static void writeSubscribe(Subscribe m, Buffer out) {
    writeU8(out, MessageType.SUBSCRIBE.code());
    writeVarint(out, subscribeFlags(m));
    writeString(out, m.topicFilter(), "SUBSCRIBE.topicFilter");
    if (m.subscriptionIdentifier() != BraidMessage.ABSENT) writeVarint(out, m.subscriptionIdentifier());
    if (!m.userProperties().isEmpty()) writeUserProperties(out, m.userProperties(), "SUBSCRIBE.userProperties");
  }

  private static void writeUnsubscribe(Unsubscribe m, Buffer out) {
    writeU8(out, MessageType.UNSUBSCRIBE.code());
    if (m.userProperties().isEmpty()) {
      writeVarint(out, 0);
    } else {
      writeVarint(out, UNSUBSCRIBE_USER_PROPERTIES);
      writeUserProperties(out, m.userProperties(), "UNSUBSCRIBE.userProperties");
    }
  }

  // DISCONNECT, AUTH

  private static int disconnectFlags(Disconnect m) {
    int flags = 0;
    if (m.reasonCode() != 0) flags |= DISCONNECT_REASON_CODE;
    if (m.sessionExpiryInterval() != BraidMessage.ABSENT) flags |= DISCONNECT_SESSION_EXPIRY;
    if (m.reasonString() != null) flags |= DISCONNECT_REASON_STRING;
    if (m.serverReference() != null) flags |= DISCONNECT_SERVER_REFERENCE;
    if (!m.userProperties().isEmpty()) flags |= DISCONNECT_USER_PROPERTIES;
    return flags;
  }

  private static int disconnectSize(Disconnect m) {
    int size = 1 + varintSize(disconnectFlags(m));
    if (m.reasonCode() != 0) size += 1;
    if (m.sessionExpiryInterval() != BraidMessage.ABSENT) size += varintSize(m.sessionExpiryInterval());
    if (m.reasonString() != null) size += stringSize(m.reasonString(), "DISCONNECT.reasonString");
    if (m.serverReference() != null) size += stringSize(m.serverReference(), "DISCONNECT.serverReference");
    if (!m.userProperties().isEmpty()) size += userPropertiesSize(m.userProperties(), "DISCONNECT.userProperties");
    return size;
  }

  private static void writeDisconnect(Disconnect m, Buffer out) {
    writeU8(out, MessageType.DISCONNECT.code());
    writeVarint(out, disconnectFlags(m));
    if (m.reasonCode() != 0) writeU8(out, m.reasonCode());
    if (m.sessionExpiryInterval() != BraidMessage.ABSENT) writeVarint(out, m.sessionExpiryInterval());
    if (m.reasonString() != null) writeString(out, m.reasonString(), "DISCONNECT.reasonString");
    if (m.serverReference() != null) writeString(out, m.serverReference(), "DISCONNECT.serverReference");
    if (!m.userProperties().isEmpty()) writeUserProperties(out, m.userProperties(), "DISCONNECT.userProperties");
  }

  private static int authFlags(Auth m) {
    int flags = 0;
    if (m.reasonCode() != 0) flags |= AUTH_REASON_CODE;
    if (m.authData() != null) flags |= AUTH_AUTH_DATA;
    if (m.reasonString() != null) flags |= AUTH_REASON_STRING;
    if (!m.userProperties().isEmpty()) flags |= AUTH_USER_PROPERTIES;
    return flags;
  }

  private static int authSize(Auth m) {
    int size = 1 + varintSize(authFlags(m)) + stringSize(m.authMethod(), "AUTH.authMethod");
    if (m.reasonCode() != 0) size += 1;
    if (m.authData() != null) size += bytesSize(m.authData());
    if (m.reasonString() != null) size += stringSize(m.reasonString(), "AUTH.reasonString");
    if (!m.userProperties().isEmpty()) size += userPropertiesSize(m.userProperties(), "AUTH.userProperties");
    return size;
  }

  private static void writeAuth(Auth m, Buffer out) {
    writeU8(out, MessageType.AUTH.code());
    writeVarint(out, authFlags(m));
    if (m.reasonCode() != 0) writeU8(out, m.reasonCode());
    writeString(out, m.authMethod(), "AUTH.authMethod");
    if (m.authData() != null) writeBytes(out, m.authData());
    if (m.reasonString() != null) writeString(out, m.reasonString(), "AUTH.reasonString");
    if (!m.userProperties().isEmpty()) writeUserProperties(out, m.userProperties(), "AUTH.userProperties");
  }

  // Primitives

  private static int stringSize(String s, String field) {
    int length = Utf8.length(s, field);
    return varintSize(length) + length;
  }

  private static void writeString(Buffer out, String s, String field) {
    int length = Utf8.length(s, field);
    writeVarint(out, length);
    Utf8.write(out, s, length);
  }

  private static int bytesSize(Buffer b) {
    return varintSize(b.length()) + b.length();
  }

  private static int userPropertiesSize(List<UserProperty> properties, String field) {
    int size = varintSize(properties.size());
    for (int i = 0; i < properties.size(); i++) {
      UserProperty property = properties.get(i);
      size += stringSize(property.name(), field) + stringSize(property.value(), field);
    }
    return size;
  }

  private static void writeUserProperties(Buffer out, List<UserProperty> properties, String field) {
    writeVarint(out, properties.size());
    for (int i = 0; i < properties.size(); i++) {
      UserProperty property = properties.get(i);
      writeString(out, property.name(), field);
      writeString(out, property.value(), field);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  @Override
  public BraidMessage decode(Buffer payload) {
    return decode(payload, 0, payload.length());
  }

  /**
   * Decodes the one message held by {@code buffer} from {@code start} to {@code end}; the bytes
   * fields of the result are slices of {@code buffer}.
   *
   * @throws MalformedException naming the field and the broken rule
   */
  public BraidMessage decode(Buffer buffer, int start, int end) {
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
    if ((flags & ~(PUBLISH_QOS | PUBLISH_RETAIN | PUBLISH_DUP | PUBLISH_PAYLOAD_UTF8)) != 0) {
      if ((flags & PUBLISH_MESSAGE_EXPIRY) != 0) messageExpiryInterval = r.readVarint("PUBLISH.messageExpiryInterval");
      if ((flags & PUBLISH_CONTENT_TYPE) != 0) contentType = r.readString("PUBLISH.contentType");
      if ((flags & PUBLISH_RESPONSE_TOPIC) != 0) responseTopic = r.readString("PUBLISH.responseTopic");
      if ((flags & PUBLISH_CORRELATION_DATA) != 0) correlationData = r.readBytes("PUBLISH.correlationData");
      if ((flags & PUBLISH_SUBSCRIPTION_IDENTIFIERS) != 0) subscriptionIdentifiers = readSubscriptionIdentifiers(r);
      if ((flags & PUBLISH_USER_PROPERTIES) != 0) userProperties = readUserProperties(r, "PUBLISH.userProperties");
    }
    Buffer payload = r.readRest();
    return new Publish(topic, payload, qos, (flags & PUBLISH_RETAIN) != 0, dup, packetId,
        messageExpiryInterval, (flags & PUBLISH_PAYLOAD_UTF8) != 0 ? 1 : 0, contentType, responseTopic,
        correlationData, subscriptionIdentifiers, userProperties);
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
    Will will = (flags & CONNECT_WILL) != 0 ? readWill(r) : null;
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

  private static Will readWill(ByteReader r) {
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
    return new Will(topic, payload, qos, (flags & WILL_RETAIN) != 0, delayInterval, messageExpiryInterval,
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
    List<UserProperty> userProperties = (flags & SUBSCRIBE_USER_PROPERTIES) != 0
        ? readUserProperties(r, "SUBSCRIBE.userProperties")
        : List.of();
    expectEnd(r, MessageType.SUBSCRIBE);
    SubscriptionOptions options = new SubscriptionOptions(maxQos, (flags & SUBSCRIBE_NO_LOCAL) != 0,
        (flags & SUBSCRIBE_RETAIN_AS_PUBLISHED) != 0, retainHandling);
    return new Subscribe(topicFilter, options, subscriptionIdentifier, userProperties);
  }

  private static SubAck readSubAck(ByteReader r) {
    int flags = readFlags(r, "SUBACK.flags", ACK_KNOWN);
    int reasonCode = readReasonCode(r, flags, ACK_REASON_CODE, MessageType.SUBACK);
    String reasonString = (flags & ACK_REASON_STRING) != 0 ? r.readString("SUBACK.reasonString") : null;
    List<UserProperty> userProperties = (flags & ACK_USER_PROPERTIES) != 0
        ? readUserProperties(r, "SUBACK.userProperties")
        : List.of();
    expectEnd(r, MessageType.SUBACK);
    return new SubAck(reasonCode, reasonString, userProperties);
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
