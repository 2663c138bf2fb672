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
 * authenticated as (so no client can claim another's name). Read once, when the CONNECT arrives; immutable.
 *
 * @param declared the object the client declared, or null
 * @param problem why the declared value is refused, or null
 */
record PresenceInfo(ObjectNode declared, String problem) {
  /** The CONNECT user property a client declares its presence info in. */
  static final String PROPERTY = "braid.presence";
  static final int MAX_BYTES = 1_024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The info {@code connect} declares (none, or a refused value, are fine here: see {@link #problem}). */
  static PresenceInfo read(Connect connect) {
    String declared = null;
    for (UserProperty property : connect.userProperties()) {
      if (property.name().equals(PROPERTY)) {
        declared = property.value();
        break;
      }
    }
    if (declared == null) {
      return new PresenceInfo(null, null);
    }
    if (declared.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return new PresenceInfo(null, PROPERTY + ": at most " + MAX_BYTES + " bytes");
    }
    ObjectNode object = parse(declared);
    return new PresenceInfo(object, object == null ? PROPERTY + ": must be a JSON object" : null);
  }

  /** The info to show: the declared object with the authenticated user, or null when there is neither. */
  String json(Principal principal) {
    ObjectNode info = declared == null ? null : declared.deepCopy();
    if (principal.username() != null) {
      info = info == null ? JSON.createObjectNode() : info;
      info.put("user", principal.username());
    }
    return info == null ? null : info.toString();
  }

  /** The text of {@code field} in the declared info, or null (no field named, none declared, not text). */
  String uniqueName(String field) {
    JsonNode value = field.isEmpty() || declared == null ? null : declared.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
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
