package io.braid.protocol.message;

import static io.braid.protocol.message.JsonMessageCodec.BASE64;
import static io.braid.protocol.message.JsonMessageCodec.MAPPER;
import static io.braid.protocol.message.JsonMessageCodec.UTF8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.braid.protocol.codec.MalformedException;
import io.braid.protocol.codec.ReasonText;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The decoding half of {@link JsonMessageCodec}: reads one message from its JSON object, refusing
 * unknown fields, with every violation a {@link MalformedException} naming the field. Stateless and
 * thread safe.
 */
final class JsonMessageReader {
  private static final Set<String> CONNECT_FIELDS = Set.of("type", "clientId", "cleanStart", "keepAlive",
      "sessionExpiryInterval", "will", "username", "password", "token", "authMethod", "authData",
      "requestProblemInformation", "userProperties");
  private static final Set<String> WILL_FIELDS = Set.of("topic", "payload", "encoding", "qos", "retain",
      "delayInterval", "messageExpiryInterval", "payloadFormatIndicator", "contentType", "responseTopic",
      "correlationData", "userProperties");
  private static final Set<String> CONNACK_FIELDS = Set.of("type", "sessionPresent", "reasonCode",
      "assignedClientId", "serverKeepAlive", "sessionExpiryInterval", "maximumQos", "retainAvailable",
      "wildcardSubscriptionAvailable", "sharedSubscriptionAvailable", "subscriptionIdentifiersAvailable",
      "maximumMessageSize", "reasonString", "serverReference", "authMethod", "authData", "userProperties");
  private static final Set<String> PUBLISH_FIELDS = Set.of("type", "topic", "payload", "encoding", "qos",
      "retain", "dup", "packetId", "messageExpiryInterval", "payloadFormatIndicator", "contentType",
      "responseTopic", "correlationData", "subscriptionIdentifiers", "userProperties", "position");
  private static final Set<String> PUBLISH_ACK_FIELDS = Set.of("type", "packetId", "reasonCode", "reasonString",
      "userProperties");
  private static final Set<String> SUBSCRIBE_FIELDS = Set.of("type", "topicFilter", "maxQos", "noLocal",
      "retainAsPublished", "retainHandling", "subscriptionIdentifier", "userProperties", "startAfter", "startLast",
      "startSince", "overflow", "maxQueued");
  private static final Set<String> SUBACK_FIELDS = Set.of("type", "reasonCode", "reasonString", "userProperties",
      "recovery");
  private static final Set<String> ACK_FIELDS = Set.of("type", "reasonCode", "reasonString", "userProperties");
  private static final Set<String> UNSUBSCRIBE_FIELDS = Set.of("type", "userProperties");
  private static final Set<String> PING_FIELDS = Set.of("type", "data");
  private static final Set<String> DISCONNECT_FIELDS = Set.of("type", "reasonCode", "sessionExpiryInterval",
      "reasonString", "serverReference", "userProperties");
  private static final Set<String> AUTH_FIELDS = Set.of("type", "reasonCode", "authMethod", "authData",
      "reasonString", "userProperties");

  private JsonMessageReader() {}

  static BraidMessage decode(Buffer jsonObjectText) {
    JsonNode node;
    try {
      node = MAPPER.readTree(jsonObjectText.getBytes());
    } catch (JsonProcessingException e) {
      throw new MalformedException("message", "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array does no I/O
    }
    return decode(node);
  }

  /**
   * Decodes one message from its JSON object, e.g. the {@code "message"} of an enclosing frame.
   *
   * @throws MalformedException naming the field and the broken rule
   */
  static BraidMessage decode(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new MalformedException("message", "must be a JSON object");
    }
    JsonNode typeNode = node.get("type");
    if (typeNode == null || typeNode.isNull()) {
      throw new MalformedException("message.type", "missing");
    }
    if (!typeNode.isTextual()) {
      throw new MalformedException("message.type", "must be a string");
    }
    MessageType type = MessageType.ofJsonName(typeNode.textValue());
    if (type == null) {
      throw new MalformedException("message.type", "unknown type " + ReasonText.quote(typeNode.textValue()));
    }
    try {
      switch (type) {
        case CONNECT: return readConnect(new JsonFields(node, "connect", CONNECT_FIELDS));
        case CONNACK: return readConnAck(new JsonFields(node, "connack", CONNACK_FIELDS));
        case PUBLISH: return readPublish(new JsonFields(node, "publish", PUBLISH_FIELDS));
        case PUBACK: case PUBREC: case PUBREL: case PUBCOMP:
          return readPublishAck(type, new JsonFields(node, type.jsonName(), PUBLISH_ACK_FIELDS));
        case SUBSCRIBE: return readSubscribe(new JsonFields(node, "subscribe", SUBSCRIBE_FIELDS));
        case SUBACK: {
          JsonFields f = new JsonFields(node, "suback", SUBACK_FIELDS);
          return new SubAck(f.reasonCode(type), f.string("reasonString"), f.userProperties(),
              JsonHistoryFields.readRecovery(f));
        }
        case UNSUBSCRIBE: return new Unsubscribe(new JsonFields(node, "unsubscribe", UNSUBSCRIBE_FIELDS).userProperties());
        case UNSUBACK: {
          JsonFields f = new JsonFields(node, "unsuback", ACK_FIELDS);
          return new UnsubAck(f.reasonCode(type), f.string("reasonString"), f.userProperties());
        }
        case PING: return new Ping(dataOrEmpty(new JsonFields(node, "ping", PING_FIELDS)));
        case PONG: return new Pong(dataOrEmpty(new JsonFields(node, "pong", PING_FIELDS)));
        case DISCONNECT: {
          JsonFields f = new JsonFields(node, "disconnect", DISCONNECT_FIELDS);
          return new Disconnect(f.reasonCode(type), f.optionalU32("sessionExpiryInterval"), f.string("reasonString"),
              f.string("serverReference"), f.userProperties());
        }
        case AUTH: {
          JsonFields f = new JsonFields(node, "auth", AUTH_FIELDS);
          return new Auth(f.reasonCode(type), f.requiredString("authMethod"), f.base64("authData"),
              f.string("reasonString"), f.userProperties());
        }
        default: throw new IllegalStateException("unknown message type " + type);
      }
    } catch (IllegalArgumentException e) {
      // A record invariant not checked field by field: its message is "TYPE.field: rule".
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      String field = colon > 0 ? message.substring(0, colon) : type.jsonName();
      int dot = field.indexOf('.');
      field = dot > 0 ? field.substring(0, dot).toLowerCase(Locale.ROOT) + field.substring(dot) : field;
      throw new MalformedException(field, colon > 0 ? message.substring(colon + 2) : message);
    }
  }

  private static Connect readConnect(JsonFields f) {
    JsonNode willNode = f.get("will");
    ConnectWill will = null;
    if (willNode != null) {
      if (!willNode.isObject()) {
        throw new MalformedException("connect.will", "must be an object");
      }
      will = readWill(new JsonFields(willNode, "connect.will", WILL_FIELDS));
    }
    return new Connect(f.string("clientId", ""), f.bool("cleanStart", false), f.integer("keepAlive", 0, 0xFFFF, 0),
        f.u32("sessionExpiryInterval", 0), will, f.string("username"), f.base64("password"), f.string("token"),
        f.string("authMethod"), f.base64("authData"), f.bool("requestProblemInformation", true),
        f.userProperties());
  }

  private static ConnectWill readWill(JsonFields f) {
    return new ConnectWill(f.requiredString("topic"), f.payload(), f.qos("qos"), f.bool("retain", false),
        f.u32("delayInterval", 0), f.optionalU32("messageExpiryInterval"), f.integer("payloadFormatIndicator", 0, 1, 0),
        f.string("contentType"), f.string("responseTopic"), f.base64("correlationData"), f.userProperties());
  }

  private static ConnAck readConnAck(JsonFields f) {
    long maximumMessageSize = f.optionalU32("maximumMessageSize");
    if (maximumMessageSize == 0) {
      throw new MalformedException("connack.maximumMessageSize", "must be 1..4294967295, was 0");
    }
    return new ConnAck(f.bool("sessionPresent", false), f.reasonCode(MessageType.CONNACK), f.string("assignedClientId"),
        f.integer("serverKeepAlive", 0, 0xFFFF, BraidMessage.ABSENT), f.optionalU32("sessionExpiryInterval"),
        f.integer("maximumQos", 0, 2, 2), f.bool("retainAvailable", true), f.bool("wildcardSubscriptionAvailable", true),
        f.bool("sharedSubscriptionAvailable", true), f.bool("subscriptionIdentifiersAvailable", true),
        maximumMessageSize, f.string("reasonString"), f.string("serverReference"), f.string("authMethod"),
        f.base64("authData"), f.userProperties());
  }

  private static Publish readPublish(JsonFields f) {
    String topic = f.requiredString("topic");
    Buffer payload = f.payload();
    int qos = f.qos("qos");
    int packetId = f.integer("packetId", 0, BraidMessage.MAX_PACKET_ID, 0);
    if (qos > 0 && packetId == 0) {
      throw new MalformedException("publish.packetId", f.has("packetId") ? "must be 1..65535, was 0" : "missing (required at QoS 1 and 2)");
    }
    return new Publish(topic, payload, qos, f.bool("retain", false), f.bool("dup", false), packetId,
        f.optionalU32("messageExpiryInterval"), f.integer("payloadFormatIndicator", 0, 1, 0), f.string("contentType"),
        f.string("responseTopic"), f.base64("correlationData"), f.subscriptionIdentifiers(), f.userProperties(),
        JsonHistoryFields.readPosition(f, "position"));
  }

  private static PublishAck readPublishAck(MessageType type, JsonFields f) {
    int packetId = f.requiredInteger("packetId", 1, BraidMessage.MAX_PACKET_ID);
    int reasonCode = f.reasonCode(type);
    String reasonString = f.string("reasonString");
    List<UserProperty> userProperties = f.userProperties();
    switch (type) {
      case PUBACK: return new PubAck(packetId, reasonCode, reasonString, userProperties);
      case PUBREC: return new PubRec(packetId, reasonCode, reasonString, userProperties);
      case PUBREL: return new PubRel(packetId, reasonCode, reasonString, userProperties);
      default: return new PubComp(packetId, reasonCode, reasonString, userProperties);
    }
  }

  private static Subscribe readSubscribe(JsonFields f) {
    String topicFilter = f.requiredString("topicFilter");
    SubscribeOptions options = new SubscribeOptions(f.qos("maxQos"), f.bool("noLocal", false),
        f.bool("retainAsPublished", false), f.integer("retainHandling", 0, 2, 0));
    return new Subscribe(topicFilter, options,
        f.integer("subscriptionIdentifier", 1, BraidMessage.MAX_SUBSCRIPTION_IDENTIFIER, BraidMessage.ABSENT),
        f.userProperties(), JsonHistoryFields.readStart(f), JsonHistoryFields.readOverflow(f),
        f.integer("maxQueued", 1, Integer.MAX_VALUE, BraidMessage.ABSENT));
  }

  private static Buffer dataOrEmpty(JsonFields f) {
    Buffer data = f.base64("data");
    return data != null ? data : Buffer.buffer();
  }
}
