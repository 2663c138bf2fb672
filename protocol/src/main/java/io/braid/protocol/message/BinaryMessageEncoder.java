package io.braid.protocol.message;

import static io.braid.protocol.codec.ByteWriter.varintSize;
import static io.braid.protocol.codec.ByteWriter.writeBytes;
import static io.braid.protocol.codec.ByteWriter.writeU8;
import static io.braid.protocol.codec.ByteWriter.writeVarint;
import static io.braid.protocol.message.BinaryLayout.ACK_REASON_CODE;
import static io.braid.protocol.message.BinaryLayout.ACK_REASON_STRING;
import static io.braid.protocol.message.BinaryLayout.ACK_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.AUTH_AUTH_DATA;
import static io.braid.protocol.message.BinaryLayout.AUTH_REASON_CODE;
import static io.braid.protocol.message.BinaryLayout.AUTH_REASON_STRING;
import static io.braid.protocol.message.BinaryLayout.AUTH_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_REASON_CODE;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_REASON_STRING;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_SERVER_REFERENCE;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_SESSION_EXPIRY;
import static io.braid.protocol.message.BinaryLayout.DISCONNECT_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_CONTENT_TYPE;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_CORRELATION_DATA;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_DUP;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_MESSAGE_EXPIRY;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_PAYLOAD_UTF8;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_POSITION;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_QOS;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_RESPONSE_TOPIC;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_RETAIN;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_SUBSCRIPTION_IDENTIFIERS;
import static io.braid.protocol.message.BinaryLayout.PUBLISH_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.SUBACK_RECOVERY;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_MAX_QUEUED;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_NO_LOCAL;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_OVERFLOW_SHIFT;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_RETAIN_AS_PUBLISHED;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_RETAIN_HANDLING_SHIFT;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_START_SHIFT;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_SUBSCRIPTION_IDENTIFIER;
import static io.braid.protocol.message.BinaryLayout.SUBSCRIBE_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.UNSUBSCRIBE_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryPrimitives.bytesSize;
import static io.braid.protocol.message.BinaryPrimitives.stringSize;
import static io.braid.protocol.message.BinaryPrimitives.userPropertiesSize;
import static io.braid.protocol.message.BinaryPrimitives.writeString;
import static io.braid.protocol.message.BinaryPrimitives.writeUserProperties;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The encoding half of {@link BinaryMessageCodec}: computes the exact size of a message first and
 * writes straight into one buffer. Stateless and thread safe.
 */
final class BinaryMessageEncoder {
  private BinaryMessageEncoder() {}

  static Buffer encode(BraidMessage message) {
    if (message instanceof Publish) {
      Publish publish = (Publish) message;
      int topicLength = Utf8.length(publish.topic(), "PUBLISH.topic");
      Buffer out = Buffer.buffer(publishSize(publish, topicLength));
      writePublish(publish, topicLength, out);
      return out;
    }
    return encode(message, Buffer.buffer(encodedSize(message)));
  }

  static Buffer encode(BraidMessage message, Buffer out) {
    switch (message.type()) {
      case CONNECT: BinaryConnectEncoder.writeConnect((Connect) message, out); break;
      case CONNACK: BinaryConnectEncoder.writeConnAck((ConnAck) message, out); break;
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
        writeSubAck(m, out);
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
  static int encodedSize(BraidMessage message) {
    switch (message.type()) {
      case CONNECT: return BinaryConnectEncoder.connectSize((Connect) message);
      case CONNACK: return BinaryConnectEncoder.connAckSize((ConnAck) message);
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
        return ackSize(MessageType.SUBACK, m.reasonCode(), m.reasonString(), m.userProperties())
            + (m.recovery() != null ? BinaryHistoryFields.recoverySize(m.recovery()) : 0);
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
    if (m.position() != null) flags |= PUBLISH_POSITION;
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
    if (m.position() != null) size += BinaryHistoryFields.positionSize(m.position());
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
    if (m.position() != null) BinaryHistoryFields.writePosition(out, m.position());
  }

  // CONNECT

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

  private static void writeSubAck(SubAck m, Buffer out) {
    int flags = ackFlags(m.reasonCode(), m.reasonString(), m.userProperties());
    writeU8(out, MessageType.SUBACK.code());
    writeVarint(out, m.recovery() != null ? flags | SUBACK_RECOVERY : flags);
    writeAckFields(MessageType.SUBACK, m.reasonCode(), m.reasonString(), m.userProperties(), out);
    if (m.recovery() != null) BinaryHistoryFields.writeRecovery(out, m.recovery());
  }

  private static void writeAckFields(MessageType type, int reasonCode, String reasonString, List<UserProperty> userProperties, Buffer out) {
    if (reasonCode != 0) writeU8(out, reasonCode);
    if (reasonString != null) writeString(out, reasonString, type + ".reasonString");
    if (!userProperties.isEmpty()) writeUserProperties(out, userProperties, type + ".userProperties");
  }

  // SUBSCRIBE, UNSUBSCRIBE

  private static int subscribeFlags(Subscribe m) {
    SubscribeOptions options = m.options();
    int flags = options.maxQos() | options.retainHandling() << SUBSCRIBE_RETAIN_HANDLING_SHIFT;
    if (options.noLocal()) flags |= SUBSCRIBE_NO_LOCAL;
    if (options.retainAsPublished()) flags |= SUBSCRIBE_RETAIN_AS_PUBLISHED;
    if (m.subscriptionIdentifier() != BraidMessage.ABSENT) flags |= SUBSCRIBE_SUBSCRIPTION_IDENTIFIER;
    if (!m.userProperties().isEmpty()) flags |= SUBSCRIBE_USER_PROPERTIES;
    flags |= m.start().code() << SUBSCRIBE_START_SHIFT;
    if (m.overflow() != null) flags |= m.overflow().code() << SUBSCRIBE_OVERFLOW_SHIFT;
    if (m.maxQueued() != BraidMessage.ABSENT) flags |= SUBSCRIBE_MAX_QUEUED;
    return flags;
  }

  private static int subscribeSize(Subscribe m) {
    int size = 1 + varintSize(subscribeFlags(m)) + stringSize(m.topicFilter(), "SUBSCRIBE.topicFilter");
    if (m.subscriptionIdentifier() != BraidMessage.ABSENT) size += varintSize(m.subscriptionIdentifier());
    size += BinaryHistoryFields.startSize(m.start());
    if (m.maxQueued() != BraidMessage.ABSENT) size += varintSize(m.maxQueued());
    if (!m.userProperties().isEmpty()) size += userPropertiesSize(m.userProperties(), "SUBSCRIBE.userProperties");
    return size;
  }

  private static void writeSubscribe(Subscribe m, Buffer out) {
    writeU8(out, MessageType.SUBSCRIBE.code());
    writeVarint(out, subscribeFlags(m));
    writeString(out, m.topicFilter(), "SUBSCRIBE.topicFilter");
    if (m.subscriptionIdentifier() != BraidMessage.ABSENT) writeVarint(out, m.subscriptionIdentifier());
    BinaryHistoryFields.writeStart(out, m.start());
    if (m.maxQueued() != BraidMessage.ABSENT) writeVarint(out, m.maxQueued());
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

}
