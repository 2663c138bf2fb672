package io.braid.pubsub.presence;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON payloads of presence messages (docs/PROTOCOL.md 8.9): a page of a topic's members, a join, a leave. A
 * member's {@code info} is a JSON object given by the server, written as is. Stateless.
 */
final class PresenceEvents {
  /** Who publishes presence messages. */
  static final String PUBLISHER = "$presence";

  private PresenceEvents() {}

  static ApplicationMessage members(String topic, List<Presence.Member> members, int page, int pages) {
    StringBuilder json = new StringBuilder(64 + members.size() * 48);
    json.append("{\"type\":\"members\",\"topic\":");
    string(json, topic);
    json.append(",\"page\":").append(page).append(",\"pages\":").append(pages).append(",\"members\":[");
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      member(json, members.get(i));
    }
    return message(topic, json.append("]}"));
  }

  static ApplicationMessage join(String topic, Presence.Member member) {
    StringBuilder json = new StringBuilder(96).append("{\"type\":\"join\",\"topic\":");
    string(json, topic);
    json.append(",\"member\":");
    member(json, member);
    return message(topic, json.append('}'));
  }

  static ApplicationMessage leave(String topic, Presence.Member member, LeaveReason reason) {
    StringBuilder json = new StringBuilder(96).append("{\"type\":\"leave\",\"topic\":");
    string(json, topic);
    json.append(",\"member\":");
    member(json, member);
    json.append(",\"reason\":\"").append(reason.jsonName()).append('"');
    return message(topic, json.append('}'));
  }

  private static void member(StringBuilder json, Presence.Member member) {
    json.append("{\"clientId\":");
    string(json, member.clientId());
    if (member.info() != null) {
      json.append(",\"info\":").append(member.info());
    }
    json.append('}');
  }

  private static ApplicationMessage message(String topic, StringBuilder json) {
    // QoS 1: a presence subscriber at QoS 1 gets every event at least once; payload format 1 (UTF-8)
    return new ApplicationMessage(0, PUBLISHER, TopicName.parse(Presence.PREFIX + topic),
        json.toString().getBytes(StandardCharsets.UTF_8), 1, false, 0, ApplicationMessage.NO_EXPIRY, 1,
        "application/json", null, null, List.of(), null);
  }

  /** {@code s} as a JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped. */
  static void string(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}
