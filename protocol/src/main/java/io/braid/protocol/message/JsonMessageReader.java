package io.braid.protocol.message;

import static io.braid.protocol.message.JsonMessageCodec.BASE64;
import static io.braid.protocol.message.JsonMessageCodec.MAPPER;
import static io.braid.protocol.message.JsonMessageCodec.UTF8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.braid.protocol.codec.Bytes;
import io.braid.protocol.codec.MalformedException;
import io.braid.protocol.codec.ReasonText;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
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
      "responseTopic", "correlationData", "subscriptionIdentifiers", "userProperties");
  private static final Set<String> PUBLISH_ACK_FIELDS = Set.of("type", "packetId", "reasonCode", "reasonString",
      "userProperties");
  private static final Set<String> SUBSCRIBE_FIELDS = Set.of("type", "topicFilter", "maxQos", "noLocal",
      "retainAsPublished", "retainHandling", "subscriptionIdentifier", "userProperties");
  private static final Set<String> ACK_FIELDS = Set.of("type", "reasonCode", "reasonString", "userProperties");
  private static final Set<String> UNSUBSCRIBE_FIELDS = Set.of("type", "userProperties");
  private static final Set<String> PING_FIELDS = Set.of("type", "data");
  private static final Set<String> DISCONNECT_FIELDS = Set.of("type", "reasonCode", "sessionExpiryInterval",
      "reasonString", "serverReference", "userProperties");
  private static final Set<String> AUTH_FIELDS = Set.of("type", "reasonCode", "authMethod", "authData",
      "reasonString", "userProperties");
  private static final Set<String> USER_PROPERTY_FIELDS = Set.of("name", "value");

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
        case CONNECT: return readConnect(new Fields(node, "connect", CONNECT_FIELDS));
        case CONNACK: return readConnAck(new Fields(node, "connack", CONNACK_FIELDS));
        case PUBLISH: return readPublish(new Fields(node, "publish", PUBLISH_FIELDS));
        case PUBACK: case PUBREC: case PUBREL: case PUBCOMP:
          return readPublishAck(type, new Fields(node, type.jsonName(), PUBLISH_ACK_FIELDS));
        case SUBSCRIBE: return readSubscribe(new Fields(node, "subscribe", SUBSCRIBE_FIELDS));
        case SUBACK: {
          Fields f = new Fields(node, "suback", ACK_FIELDS);
          return new SubAck(f.reasonCode(type), f.string("reasonString"), f.userProperties());
        }
        case UNSUBSCRIBE: return new Unsubscribe(new Fields(node, "unsubscribe", UNSUBSCRIBE_FIELDS).userProperties());
        case UNSUBACK: {
          Fields f = new Fields(node, "unsuback", ACK_FIELDS);
          return new UnsubAck(f.reasonCode(type), f.string("reasonString"), f.userProperties());
        }
        case PING: return new Ping(dataOrEmpty(new Fields(node, "ping", PING_FIELDS)));
        case PONG: return new Pong(dataOrEmpty(new Fields(node, "pong", PING_FIELDS)));
        case DISCONNECT: {
          Fields f = new Fields(node, "disconnect", DISCONNECT_FIELDS);
          return new Disconnect(f.reasonCode(type), f.optionalU32("sessionExpiryInterval"), f.string("reasonString"),
              f.string("serverReference"), f.userProperties());
        }
        case AUTH: {
          Fields f = new Fields(node, "auth", AUTH_FIELDS);
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

  private static Connect readConnect(Fields f) {
    JsonNode willNode = f.get("will");
    ConnectWill will = null;
    if (willNode != null) {
      if (!willNode.isObject()) {
        throw new MalformedException("connect.will", "must be an object");
      }
      will = readWill(new Fields(willNode, "connect.will", WILL_FIELDS));
    }
    return new Connect(f.string("clientId", ""), f.bool("cleanStart", false), f.integer("keepAlive", 0, 0xFFFF, 0),
        f.u32("sessionExpiryInterval", 0), will, f.string("username"), f.base64("password"), f.string("token"),
        f.string("authMethod"), f.base64("authData"), f.bool("requestProblemInformation", true),
        f.userProperties());
  }

  private static ConnectWill readWill(Fields f) {
    return new ConnectWill(f.requiredString("topic"), f.payload(), f.qos("qos"), f.bool("retain", false),
        f.u32("delayInterval", 0), f.optionalU32("messageExpiryInterval"), f.integer("payloadFormatIndicator", 0, 1, 0),
        f.string("contentType"), f.string("responseTopic"), f.base64("correlationData"), f.userProperties());
  }

  private static ConnAck readConnAck(Fields f) {
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

  private static Publish readPublish(Fields f) {
    String topic = f.requiredString("topic");
    Buffer payload = f.payload();
    int qos = f.qos("qos");
    int packetId = f.integer("packetId", 0, BraidMessage.MAX_PACKET_ID, 0);
    if (qos > 0 && packetId == 0) {
      throw new MalformedException("publish.packetId", f.has("packetId") ? "must be 1..65535, was 0" : "missing (required at QoS 1 and 2)");
    }
    return new Publish(topic, payload, qos, f.bool("retain", false), f.bool("dup", false), packetId,
        f.optionalU32("messageExpiryInterval"), f.integer("payloadFormatIndicator", 0, 1, 0), f.string("contentType"),
        f.string("responseTopic"), f.base64("correlationData"), f.subscriptionIdentifiers(), f.userProperties());
  }

  private static PublishAck readPublishAck(MessageType type, Fields f) {
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

  private static Subscribe readSubscribe(Fields f) {
    String topicFilter = f.requiredString("topicFilter");
    SubscribeOptions options = new SubscribeOptions(f.qos("maxQos"), f.bool("noLocal", false),
        f.bool("retainAsPublished", false), f.integer("retainHandling", 0, 2, 0));
    return new Subscribe(topicFilter, options,
        f.integer("subscriptionIdentifier", 1, BraidMessage.MAX_SUBSCRIPTION_IDENTIFIER, BraidMessage.ABSENT),
        f.userProperties());
  }

  private static Buffer dataOrEmpty(Fields f) {
    Buffer data = f.base64("data");
    return data != null ? data : Buffer.buffer();
  }

  /** The fields of one JSON object at {@code path}, read with defaults and named errors. */
  private static final class Fields {
    private final JsonNode node;
    private final String path;

    Fields(JsonNode node, String path, Set<String> known) {
      this.node = node;
      this.path = path;
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!known.contains(name)) {
          throw new MalformedException(path + "." + ReasonText.name(name), "unknown field");
        }
      }
    }

    String field(String name) {
      return path + "." + name;
    }

    /** The field's value, or null when it is left out or null. */
    JsonNode get(String name) {
      JsonNode value = node.get(name);
      return value == null || value.isNull() ? null : value;
    }

    boolean has(String name) {
      return get(name) != null;
    }

    String string(String name) {
      return string(name, null);
    }

    String string(String name, String defaultValue) {
      JsonNode value = get(name);
      return value == null ? defaultValue : text(field(name), value);
    }

    String requiredString(String name) {
      JsonNode value = get(name);
      if (value == null) {
        throw new MalformedException(field(name), "missing");
      }
      return text(field(name), value);
    }

    boolean bool(String name, boolean defaultValue) {
      JsonNode value = get(name);
      if (value == null) {
        return defaultValue;
      }
      if (!value.isBoolean()) {
        throw new MalformedException(field(name), "must be true or false");
      }
      return value.booleanValue();
    }

    int qos(String name) {
      JsonNode value = get(name);
      if (value == null) {
        return 0;
      }
      long qos = number(field(name), value);
      if (qos < 0 || qos > 2) {
        throw new MalformedException(field(name), "must be 0, 1 or 2, was " + qos);
      }
      return (int) qos;
    }

    int integer(String name, int min, int max, int defaultValue) {
      JsonNode value = get(name);
      return value == null ? defaultValue : (int) range(field(name), number(field(name), value), min, max);
    }

    int requiredInteger(String name, int min, int max) {
      JsonNode value = get(name);
      if (value == null) {
        throw new MalformedException(field(name), "missing");
      }
      return (int) range(field(name), number(field(name), value), min, max);
    }

    long u32(String name, long defaultValue) {
      JsonNode value = get(name);
      return value == null ? defaultValue : range(field(name), number(field(name), value), 0, BraidMessage.MAX_U32);
    }

    long optionalU32(String name) {
      return u32(name, BraidMessage.ABSENT);
    }

    int reasonCode(MessageType type) {
      int code = integer("reasonCode", 0, 255, 0);
      if (!ReasonCode.isAllowed(type, code)) {
        throw new MalformedException(field("reasonCode"), ReasonCode.hex(code) + " is not a reason code of " + type);
      }
      return code;
    }

    Buffer base64(String name) {
      JsonNode value = get(name);
      return value == null ? null : base64(field(name), value);
    }

    /** {@code "payload"} in the {@code "encoding"} it names. */
    Buffer payload() {
      JsonNode value = get("payload");
      if (value == null) {
        throw new MalformedException(field("payload"), "missing");
      }
      JsonNode encoding = get("encoding");
      if (encoding == null) {
        throw new MalformedException(field("encoding"), "missing (\"utf8\" or \"base64\")");
      }
      String name = encoding.isTextual() ? encoding.textValue() : null;
      if (UTF8.equals(name)) {
        return Bytes.wrap(text(field("payload"), value).getBytes(StandardCharsets.UTF_8));
      }
      if (BASE64.equals(name)) {
        return base64(field("payload"), value);
      }
      throw new MalformedException(field("encoding"), "must be \"utf8\" or \"base64\"");
    }

    List<Integer> subscriptionIdentifiers() {
      JsonNode value = get("subscriptionIdentifiers");
      if (value == null) {
        return List.of();
      }
      String field = field("subscriptionIdentifiers");
      if (!value.isArray()) {
        throw new MalformedException(field, "must be an array");
      }
      List<Integer> ids = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        String element = field + "[" + i + "]";
        ids.add((int) range(element, number(element, value.get(i)), 1, BraidMessage.MAX_SUBSCRIPTION_IDENTIFIER));
      }
      return ids;
    }

    List<UserProperty> userProperties() {
      JsonNode value = get("userProperties");
      if (value == null) {
        return List.of();
      }
      String field = field("userProperties");
      if (!value.isArray()) {
        throw new MalformedException(field, "must be an array");
      }
      List<UserProperty> properties = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        JsonNode element = value.get(i);
        String elementPath = field + "[" + i + "]";
        if (!element.isObject()) {
          throw new MalformedException(elementPath, "must be an object {\"name\":...,\"value\":...}");
        }
        Fields property = new Fields(element, elementPath, USER_PROPERTY_FIELDS);
        properties.add(new UserProperty(property.requiredString("name"), property.requiredString("value")));
      }
      return properties;
    }

    private static String text(String field, JsonNode value) {
      if (!value.isTextual()) {
        throw new MalformedException(field, "must be a string");
      }
      String text = value.textValue();
      int index = Utf8.loneSurrogate(text);
      if (index >= 0) {
        throw new MalformedException(field, "lone surrogate at index " + index + " is not valid Unicode");
      }
      return text;
    }

    private static long number(String field, JsonNode value) {
      if (value == null || !value.isIntegralNumber()) {
        throw new MalformedException(field, "must be an integer");
      }
      if (!value.canConvertToLong()) {
        throw new MalformedException(field, "out of range: " + value.asText());
      }
      return value.longValue();
    }

    private static long range(String field, long value, long min, long max) {
      if (value < min || value > max) {
        throw new MalformedException(field, "must be " + min + ".." + max + ", was " + value);
      }
      return value;
    }

    private static Buffer base64(String field, JsonNode value) {
      if (!value.isTextual()) {
        throw new MalformedException(field, "must be a base64 string");
      }
      try {
        return Bytes.wrap(Base64.getDecoder().decode(value.textValue()));
      } catch (IllegalArgumentException e) {
        throw new MalformedException(field, "not valid base64: " + e.getMessage());
      }
    }
  }
}
