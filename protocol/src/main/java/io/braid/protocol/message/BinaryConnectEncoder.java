package io.braid.protocol.message;

import static io.braid.protocol.codec.ByteWriter.varintSize;
import static io.braid.protocol.codec.ByteWriter.writeBytes;
import static io.braid.protocol.codec.ByteWriter.writeU8;
import static io.braid.protocol.codec.ByteWriter.writeVarint;
import static io.braid.protocol.message.BinaryLayout.CONNACK_ASSIGNED_CLIENT_ID;
import static io.braid.protocol.message.BinaryLayout.CONNACK_AUTH_DATA;
import static io.braid.protocol.message.BinaryLayout.CONNACK_AUTH_METHOD;
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
import static io.braid.protocol.message.BinaryLayout.CONNECT_NO_PROBLEM_INFORMATION;
import static io.braid.protocol.message.BinaryLayout.CONNECT_PASSWORD;
import static io.braid.protocol.message.BinaryLayout.CONNECT_TOKEN;
import static io.braid.protocol.message.BinaryLayout.CONNECT_USERNAME;
import static io.braid.protocol.message.BinaryLayout.CONNECT_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryLayout.CONNECT_WILL;
import static io.braid.protocol.message.BinaryLayout.WILL_CONTENT_TYPE;
import static io.braid.protocol.message.BinaryLayout.WILL_CORRELATION_DATA;
import static io.braid.protocol.message.BinaryLayout.WILL_MESSAGE_EXPIRY;
import static io.braid.protocol.message.BinaryLayout.WILL_PAYLOAD_UTF8;
import static io.braid.protocol.message.BinaryLayout.WILL_RESPONSE_TOPIC;
import static io.braid.protocol.message.BinaryLayout.WILL_RETAIN;
import static io.braid.protocol.message.BinaryLayout.WILL_USER_PROPERTIES;
import static io.braid.protocol.message.BinaryPrimitives.bytesSize;
import static io.braid.protocol.message.BinaryPrimitives.stringSize;
import static io.braid.protocol.message.BinaryPrimitives.userPropertiesSize;
import static io.braid.protocol.message.BinaryPrimitives.writeString;
import static io.braid.protocol.message.BinaryPrimitives.writeUserProperties;

import io.vertx.core.buffer.Buffer;

/** CONNECT (with its will) and CONNACK in the binary encoding (PROTOCOL.md 6.3), for {@link BinaryMessageEncoder}. */
final class BinaryConnectEncoder {
  private BinaryConnectEncoder() {}

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

  static int connectSize(Connect m) {
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

  static void writeConnect(Connect m, Buffer out) {
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

  private static int willFlags(ConnectWill w) {
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

  private static int willSize(ConnectWill w) {
    int size = varintSize(willFlags(w)) + stringSize(w.topic(), "CONNECT.will.topic") + bytesSize(w.payload())
        + varintSize(w.delayInterval());
    if (w.messageExpiryInterval() != BraidMessage.ABSENT) size += varintSize(w.messageExpiryInterval());
    if (w.contentType() != null) size += stringSize(w.contentType(), "CONNECT.will.contentType");
    if (w.responseTopic() != null) size += stringSize(w.responseTopic(), "CONNECT.will.responseTopic");
    if (w.correlationData() != null) size += bytesSize(w.correlationData());
    if (!w.userProperties().isEmpty()) size += userPropertiesSize(w.userProperties(), "CONNECT.will.userProperties");
    return size;
  }

  private static void writeWill(ConnectWill w, Buffer out) {
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

  static int connAckSize(ConnAck m) {
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

  static void writeConnAck(ConnAck m, Buffer out) {
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
}
