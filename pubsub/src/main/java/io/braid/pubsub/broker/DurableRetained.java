package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.BrokerClock;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.topic.TopicFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's retained messages ({@link RetainedMessages}) with each change written to its store under the topic's
 * lock, so that the store keeps what memory keeps. Thread safe, as {@link RetainedMessages}.
 */
final class DurableRetained {

  private final RetainedMessages retained = new RetainedMessages();
  private final BrokerStore store;
  private final BrokerClock clock;

  DurableRetained(BrokerStore store, BrokerClock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** [MQTT-3.3.1-6] [MQTT-3.3.1-5] an empty retained payload clears the topic, any other replaces its message. */
  void keep(ApplicationMessage accepted) {
    if (accepted.clearsRetained()) {
      retained.remove(accepted.topic(), () -> store.deleteRetained(accepted.topic()));
    } else {
      retained.put(accepted, () -> store.saveRetained(accepted));
    }
  }

  /** Keeps a peer's retained message or clear unless a later-accepted one is held (atomically); true if changed. */
  boolean keepUnlessNewerHeld(ApplicationMessage accepted) {
    return accepted.clearsRetained()
        ? retained.removeUnlessNewerHeld(accepted, () -> store.deleteRetained(accepted.topic()))
        : retained.putUnlessNewerHeld(accepted, () -> store.saveRetained(accepted));
  }

  /** A retained message recovered from the store: kept in memory, or deleted from the store if it expired. */
  void restore(ApplicationMessage message, long now) {
    if (message.isExpired(now)) {
      store.deleteRetained(message.topic());
    } else {
      retained.put(message);
    }
  }

  /** The unexpired retained messages matching {@code filter}; expired ones are removed on the way. */
  List<ApplicationMessage> matching(TopicFilter filter) {
    long now = clock.nowMillis();
    List<ApplicationMessage> matches = retained.match(filter);
    List<ApplicationMessage> live = new ArrayList<>(matches.size());
    for (ApplicationMessage message : matches) {
      if (message.isExpired(now)) {
        // [MQTT-3.3.2-5] an expired retained message is no longer delivered; one that replaced it meanwhile stays
        retained.removeIfHeld(message, () -> store.deleteRetained(message.topic()));
      } else {
        live.add(message);
      }
    }
    return live;
  }

  /** The retained messages of every topic, but {@code $SYS} ones (each node's own). */
  List<ApplicationMessage> shareable() {
    return retained.all().stream().filter(message -> !message.topic().asString().startsWith("$SYS/")).toList();
  }

  int size() {
    return retained.size();
  }
}
