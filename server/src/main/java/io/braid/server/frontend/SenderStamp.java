package io.braid.server.frontend;

import io.braid.pubsub.message.MessageProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code braid.sender} user property of a published message (auth.senderTopics), whatever the wire: the broker
 * stamps who sent it, and a {@code braid.sender} the client sent itself is always removed, so no client can forge
 * one. Stateless.
 */
public final class SenderStamp {

  /** The user property's name. */
  public static final String PROPERTY = "braid.sender";

  private SenderStamp() {
  }

  /** {@code properties} without any {@code braid.sender}, then {@code sender}'s if not null. */
  public static List<MessageProperty> apply(List<MessageProperty> properties, String sender) {
    boolean forged = false;
    for (MessageProperty property : properties) {
      forged |= property.name().equals(PROPERTY);
    }
    if (!forged && sender == null) {
      return properties;
    }
    List<MessageProperty> stamped = new ArrayList<>(properties.size() + 1);
    for (MessageProperty property : properties) {
      if (!property.name().equals(PROPERTY)) {
        stamped.add(property);
      }
    }
    if (sender != null) {
      stamped.add(new MessageProperty(PROPERTY, sender));
    }
    return stamped;
  }
}
