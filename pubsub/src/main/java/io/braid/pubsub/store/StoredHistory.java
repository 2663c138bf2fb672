package io.braid.pubsub.store;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicName;
import java.util.List;

/**
 * A topic's history as stored: its epoch, the offsets reserved for it (no offset below {@code reservedUpTo} is handed
 * out after a restart), the newest offset trimmed, whether the broker stopped cleanly (then {@code reservedUpTo} is
 * exactly the next offset), and the messages kept, in offset order.
 *
 * <p>Immutable.
 */
public record StoredHistory(TopicName topic, String epoch, long reservedUpTo, long trimmedUpTo, boolean clean,
    List<ApplicationMessage> messages) {

  public StoredHistory {
    messages = List.copyOf(messages);
  }
}
