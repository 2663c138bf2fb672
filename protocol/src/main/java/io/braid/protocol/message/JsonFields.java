package io.braid.protocol.message;

import static io.braid.protocol.message.JsonMessageCodec.BASE64;
import static io.braid.protocol.message.JsonMessageCodec.UTF8;

import com.fasterxml.jackson.databind.JsonNode;
import io.braid.protocol.codec.Bytes;
import io.braid.protocol.codec.MalformedException;
import io.braid.protocol.codec.ReasonText;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The fields of one JSON object at {@code path}, read with defaults and named errors. */
/**
 * The fields of one JSON object at {@code path}, read with defaults and errors that name the field; refuses fields
 * not in the known set. For {@link JsonMessageReader}. Not thread safe (one per object read).
 */
final class JsonFields {
  private static final Set<String> USER_PROPERTY_FIELDS = Set.of("name", "value");

  private final JsonNode node;
  private final String path;

  JsonFields(JsonNode node, String path, Set<String> known) {
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

  /** A number 0..2^63-1, or {@code defaultValue} when left out. */
  long u63(String name, long defaultValue) {
    JsonNode value = get(name);
    return value == null ? defaultValue : range(field(name), number(field(name), value), 0, Long.MAX_VALUE);
  }

  /** The object field {@code name} as fields of its own, or null when left out. */
  JsonFields object(String name, Set<String> known) {
    JsonNode value = get(name);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      throw new MalformedException(field(name), "must be an object");
    }
    return new JsonFields(value, field(name), known);
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
      JsonFields property = new JsonFields(element, elementPath, USER_PROPERTY_FIELDS);
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
