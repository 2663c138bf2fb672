package io.braid.server;

import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.BrokerStats;
import io.braid.pubsub.broker.DropReason;
import io.braid.pubsub.broker.SessionInfo;
import io.braid.pubsub.message.ApplicationMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's statistics as retained messages under {@code $SYS/broker/}, with Mosquitto's topic names, so that
 * tools and dashboards made for Mosquitto find them where they look: a subscriber to {@code $SYS/#} gets the last
 * values at once and every update after. Published by the broker itself at QoS 0, every
 * {@code sys.intervalSeconds}. Values are decimal text.
 */
final class SysTopics {

  /** The client identifier the broker publishes as. */
  static final String PUBLISHER = "$SYS";
  static final String VERSION = "Braid 0.1.0";

  private final Broker broker;
  private final MeterRegistry registry;
  private final long startedAtMillis = System.currentTimeMillis();

  SysTopics(Broker broker, MeterRegistry registry) {
    this.broker = broker;
    this.registry = registry;
  }

  /** Publishes every statistic once. Any thread. */
  void publish() {
    values().forEach((topic, value) -> broker.publishFromBroker(ApplicationMessage.of(PUBLISHER, topic,
        value.getBytes(StandardCharsets.UTF_8), 0, true)));
  }

  /** Topic -> value, in a stable order. */
  Map<String, String> values() {
    BrokerStats stats = broker.stats();
    List<SessionInfo> sessions = broker.sessions();
    long connected = sessions.stream().filter(SessionInfo::connected).count();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("$SYS/broker/version", VERSION);
    values.put("$SYS/broker/uptime", (System.currentTimeMillis() - startedAtMillis) / 1000 + " seconds");
    values.put("$SYS/broker/clients/connected", Long.toString(connected));
    values.put("$SYS/broker/clients/disconnected", Long.toString(sessions.size() - connected));
    values.put("$SYS/broker/clients/total", Integer.toString(sessions.size()));
    values.put("$SYS/broker/subscriptions/count", Integer.toString(broker.subscriptionCount()));
    values.put("$SYS/broker/retained messages/count", Integer.toString(broker.retainedCount()));
    values.put("$SYS/broker/store/messages/count", Long.toString(broker.queuedMessageCount()));
    values.put("$SYS/broker/messages/received", Long.toString(stats.published(0) + stats.published(1)
        + stats.published(2)));
    values.put("$SYS/broker/messages/sent", Long.toString(stats.delivered(0) + stats.delivered(1)
        + stats.delivered(2)));
    long dropped = 0;
    for (DropReason reason : DropReason.values()) {
      dropped += stats.dropped(reason);
    }
    values.put("$SYS/broker/publish/messages/dropped", Long.toString(dropped));
    values.put("$SYS/broker/bytes/received", Long.toString(counter("braid.bytes.received")));
    values.put("$SYS/broker/bytes/sent", Long.toString(counter("braid.bytes.sent")));
    return values;
  }

  private long counter(String name) {
    Counter counter = registry.find(name).counter();
    return counter == null ? 0 : (long) counter.count();
  }
}
