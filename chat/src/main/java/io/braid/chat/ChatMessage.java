package io.braid.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A chat message as the page and the terminal client publish it to {@code chat/rooms/<room>}:
 * {@code {"id":"...","nick":"...","text":"...","sentAt":millis}}. The author the broker vouches for travels beside
 * it, in the {@code braid.sender} user property.
 */
record ChatMessage(String id, String nick, String text, long sentAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static String json(String id, String nick, String text, long sentAt) {
    return JSON.createObjectNode().put("id", id).put("nick", nick).put("text", text).put("sentAt", sentAt).toString();
  }

  static String quote(String text) {
    return JSON.getNodeFactory().textNode(text).toString();
  }

  /** The message in {@code json}, or null if it is not one. */
  static ChatMessage parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.path("nick").isTextual() || !node.path("text").isTextual()) {
        return null;
      }
      return new ChatMessage(node.path("id").asText(""), node.get("nick").asText(), node.get("text").asText(),
          node.path("sentAt").asLong());
    } catch (Exception e) {
      return null;
    }
  }
}
