package io.braid.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a broker the topic chat service: the page on the broker's port, history and presence for the rooms,
 * authors stamped by the broker, a per-user publish rate and small messages. Each is an ordinary broker setting (docs/OPERATIONS.md),
 * given before the user's own flags so that any of them can be changed.
 */
public final class ChatDefaults {
  /** The rooms' topics: {@code chat/rooms/<room>}. */
  public static final String ROOMS = "chat/rooms/+";

  private ChatDefaults() {}

  /** The settings, key to value. */
  public static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("server.webRoot", "classpath:chat-web/");
    settings.put("history.filters", ROOMS);
    settings.put("history.maxMessages", "500");
    settings.put("presence.filters", ROOMS);
    settings.put("presence.uniqueField", "nick");
    settings.put("auth.senderTopics", "chat/#");
    settings.put("limits.publishRatePerClient", "10");
    // a chat message is at most 1,000 characters: 64 KiB frames leave room and keep a client from sending megabytes
    settings.put("limits.maxFramePayload", "65536");
    settings.put("limits.maxMessageBytes", "65536");
    return settings;
  }

  /** The settings as {@code --set} arguments of the broker's command line. */
  static List<String> arguments() {
    List<String> arguments = new ArrayList<>();
    settings().forEach((key, value) -> arguments.addAll(List.of("--set", key + "=" + value)));
    return arguments;
  }
}
