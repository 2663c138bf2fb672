package io.braid.server.braid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.UserProperty;
import io.braid.server.auth.Principal;
import java.nio.charset.StandardCharsets;

/**
 * What a client shows of itself to presence subscribers (PROTOCOL.md 8.9): the JSON object of its CONNECT's
 * {@code braid.presence} user property, at most {@value #MAX_BYTES} bytes, with {@code "user"} set to the user it
 * authenticated as (so no client can claim another's name). Stateless.
 */
final class PresenceInfo {
  /** The CONNECT user property a client declares its presence info in. */
  static final String PROPERTY = "braid.presence";
  static final int MAX_BYTES = 1_024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private PresenceInfo() {}

  /** Why the CONNECT's presence info is refused, or null if it is fine (or absent). */
  static String problem(Connect connect) {
    String declared = declared(connect);
    if (declared == null) {
      return null;
    }
    if (declared.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return PROPERTY + ": at most " + MAX_BYTES + " bytes";
    }
    return parse(declared) == null ? PROPERTY + ": must be a JSON object" : null;
  }

  /** The info to show: the declared object with the authenticated user, or null when there is neither. */
  static String of(Connect connect, Principal principal) {
    String declared = declared(connect);
    ObjectNode info = declared == null ? null : parse(declared);
    if (principal.username() != null) {
      info = info == null ? JSON.createObjectNode() : info;
      info.put("user", principal.username());
    }
    return info == null ? null : info.toString();
  }

  /** The text of {@code field} in the client's declared info, or null (no field named, none declared, not text). */
  static String uniqueName(Connect connect, String field) {
    String declared = field.isEmpty() ? null : declared(connect);
    ObjectNode info = declared == null ? null : parse(declared);
    JsonNode value = info == null ? null : info.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static String declared(Connect connect) {
    for (UserProperty property : connect.userProperties()) {
      if (property.name().equals(PROPERTY)) {
        return property.value();
      }
    }
    return null;
  }

  private static ObjectNode parse(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node instanceof ObjectNode object ? object : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
