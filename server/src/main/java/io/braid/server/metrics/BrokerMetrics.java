package io.braid.server.metrics;

import io.braid.cluster.ClusterRouter;
import io.braid.cluster.ClusterStats;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.BrokerStats;
import io.braid.pubsub.broker.DropReason;
import io.braid.pubsub.broker.QueueOverflowPolicy;
import io.braid.pubsub.store.BrokerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The broker's own meters, all prefixed {@code braid_} in Prometheus: connections, streams, subscriptions,
 * messages in and out by QoS, bytes, drops by reason, queue depth, store commit latency, authentication failures,
 * protocol errors by close code and limit hits by limit. Counters read from the core ({@link BrokerStats}) are
 * function counters, so the publish path pays nothing for them; the rest are striped counters and atomics, cheap
 * from any event loop. Thread safe.
 */
public final class BrokerMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();
  private final Counter connectionsAccepted;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Map<String, Counter> tagged = new ConcurrentHashMap<>();

  public BrokerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("braid.connections", connections, AtomicInteger::get)
        .description("Open broker connections").register(registry);
    Gauge.builder("braid.streams", streams, AtomicInteger::get)
        .description("Open streams on all broker connections").register(registry);
    connectionsAccepted = Counter.builder("braid.connections.accepted")
        .description("Broker connections whose CONNECT was accepted").register(registry);
    bytesIn = Counter.builder("braid.bytes.received").baseUnit("bytes")
        .description("WebSocket payload bytes received on broker connections").register(registry);
    bytesOut = Counter.builder("braid.bytes.sent").baseUnit("bytes")
        .description("WebSocket payload bytes sent on broker connections").register(registry);
  }

  /** Registers the meters of a clustered node's transport. */
  public void bindCluster(ClusterRouter cluster) {
    ClusterStats stats = cluster.stats();
    FunctionCounter.builder("braid.cluster.forwarded", stats, ClusterStats::forwarded)
        .description("Messages forwarded to other nodes (once per node)").register(registry);
    FunctionCounter.builder("braid.cluster.received", stats, ClusterStats::received)
        .description("Messages received from other nodes").register(registry);
    FunctionCounter.builder("braid.cluster.received.undelivered", stats, ClusterStats::receivedUndelivered)
        .description("Messages from other nodes that no local session took (a route not yet withdrawn)")
        .register(registry);
    FunctionCounter.builder("braid.cluster.link.dropped", stats, ClusterStats::linkDrops)
        .description("Messages dropped because too many waited on the link to their node").register(registry);
    FunctionCounter.builder("braid.cluster.malformed", stats, ClusterStats::malformed)
        .description("Messages from other nodes that could not be decoded").register(registry);
    Gauge.builder("braid.cluster.nodes", cluster, c -> c.peers().size() + 1)
        .description("Members of the cluster, this node included").register(registry);
    Gauge.builder("braid.cluster.routes", cluster, ClusterRouter::remoteRouteCount)
        .description("The other nodes' routes (node, filter) this node forwards by").register(registry);
    Gauge.builder("braid.cluster.replica.sessions", cluster, ClusterRouter::replicaSessionCount)
        .description("Other nodes' persistent sessions whose replica this node keeps").register(registry);
  }

  /** Registers the meters that read the broker core and its store. */
  public void bind(Broker broker, BrokerStore store) {
    BrokerStats stats = broker.stats();
    for (int qos = 0; qos <= 2; qos++) {
      int level = qos;
      FunctionCounter.builder("braid.messages.received", stats, s -> s.published(level)).tag("qos", "" + qos)
          .description("Messages accepted from publishers and wills").register(registry);
      FunctionCounter.builder("braid.messages.sent", stats, s -> s.delivered(level)).tag("qos", "" + qos)
          .description("PUBLISH messages sent to subscribers, redeliveries included").register(registry);
    }
    for (DropReason reason : DropReason.values()) {
      if (reason == DropReason.QUEUE_FULL) {
        for (QueueOverflowPolicy policy : QueueOverflowPolicy.values()) {
          dropped(stats, s -> s.overflowed(policy), reason, policy.name());
        }
      } else {
        dropped(stats, s -> s.dropped(reason), reason, reason == DropReason.CONFLATED ? "conflate" : "none");
      }
    }
    FunctionCounter.builder("braid.messages.redelivered", stats, BrokerStats::redelivered)
        .description("PUBLISH and PUBREL resent after a reconnect").register(registry);
    FunctionCounter.builder("braid.store.failures", stats, BrokerStats::storeFailures)
        .description("Publishes refused because the store could not make them durable").register(registry);
    Gauge.builder("braid.presence.members", broker, b -> b.presence().memberCount())
        .description("Members of tracked topics, summed over topics").register(registry);
    Gauge.builder("braid.sessions", broker, Broker::sessionCount)
        .description("Sessions, connected or not").register(registry);
    Gauge.builder("braid.subscriptions", broker, Broker::subscriptionCount)
        .description("Subscriptions of all sessions").register(registry);
    Gauge.builder("braid.retained.messages", broker, Broker::retainedCount)
        .description("Topics with a retained message").register(registry);
    Gauge.builder("braid.queued.messages", broker, Broker::queuedMessageCount)
        .description("Messages waiting in session queues").register(registry);
    FunctionTimer.builder("braid.store.commit", store, s -> s.stats().commits(), s -> s.stats().commitNanos(),
        TimeUnit.NANOSECONDS).description("Group commits of the durable store (writing)").register(registry);
    FunctionTimer.builder("braid.store.force", store, s -> s.stats().forces(), s -> s.stats().forceNanos(),
        TimeUnit.NANOSECONDS).description("Forces (fsyncs) of the durable store after a commit's write")
        .register(registry);
    FunctionCounter.builder("braid.store.syncs", store, s -> s.stats().syncs())
        .description("Store syncs completed: acknowledgements that waited for the disk").register(registry);
    Gauge.builder("braid.store.failed", store, s -> s.stats().failed() ? 1 : 0)
        .description("1 once the store has failed and refuses to acknowledge").register(registry);
  }

  public void connectionOpened() {
    connections.incrementAndGet();
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  public void connectAccepted() {
    connectionsAccepted.increment();
  }

  public void streamOpened() {
    streams.incrementAndGet();
  }

  public void streamClosed() {
    streams.decrementAndGet();
  }

  public void bytesReceived(long bytes) {
    bytesIn.increment(bytes);
  }

  public void bytesSent(long bytes) {
    bytesOut.increment(bytes);
  }

  /** A client refused at CONNECT; {@code reasonCode} is the CONNACK's. */
  /** A client refused for now because its session is on a node that cannot hand it over yet. */
  public void sessionUnavailable() {
    counter("braid.connects.refused", "reason", "session_moving",
        "Clients refused for now, and why (session_moving: their session is on a node that cannot hand it over yet)")
        .increment();
  }

  public void authenticationFailed(int reasonCode) {
    counter("braid.auth.failures", "reason_code", hex(reasonCode), "Clients refused at CONNECT").increment();
  }

  /** A connection ended by a protocol error, by its WebSocket close code. */
  public void protocolError(int closeCode) {
    counter("braid.protocol.errors", "close_code", Integer.toString(closeCode),
        "Connections closed for a protocol error, by WebSocket close code").increment();
  }

  /** An MQTT connection ended for breaking the protocol, by the MQTT 5 reason code it was (or would be) told. */
  public void mqttError(int reasonCode) {
    counter("braid.mqtt.errors", "reason_code", hex(reasonCode),
        "MQTT connections ended for a protocol error or limit, by reason code").increment();
  }

  /** An MQTT connection accepted at CONNACK, by protocol version and transport. */
  public void mqttConnected(String version, String transport) {
    tagged.computeIfAbsent("braid.mqtt.connections" + '\u0000' + version + '\u0000' + transport,
        key -> Counter.builder("braid.mqtt.connections").tag("version", version).tag("transport", transport)
            .description("MQTT connections accepted, by protocol version and transport").register(registry))
        .increment();
  }

  /** A WebSocket connection opened, with or without compression. */
  public void websocketOpened(boolean compressed) {
    counter("braid.websocket.opened", "compression", compressed ? "permessage-deflate" : "none",
        "WebSocket connections opened, by negotiated compression").increment();
  }

  /** WebSocket connections opened so far with ({@code compressed}) or without compression. */
  public double websocketsOpened(boolean compressed) {
    Counter counter = tagged.get("braid.websocket.opened" + '\u0000' + (compressed ? "permessage-deflate" : "none"));
    return counter == null ? 0 : counter.count();
  }

  /** A handshake refused (or timed out: 408), by HTTP status. */
  public void handshakeRefused(int status) {
    counter("braid.handshakes.refused", "status", Integer.toString(status),
        "WebSocket handshakes refused, by HTTP status (408: timed out)").increment();
  }

  /** A stream reset by the server for a stream-level error, by the stream layer's error code name. */
  public void streamError(String code) {
    counter("braid.stream.errors", "code", code, "Streams reset by the server for a stream error").increment();
  }

  /** A limit was hit (the client got the limit's error). */
  public void limitHit(String limit) {
    counter("braid.limit.hits", "limit", limit, "Limits hit, by limit").increment();
  }

  /** A publish or subscribe the ACL refused. */
  public void aclDenied(String action) {
    counter("braid.acl.denied", "action", action, "Publishes and subscribes the ACL refused").increment();
  }

  /** A series of {@code braid_messages_dropped_total}: by reason, and by overflow policy for a full queue. */
  private void dropped(BrokerStats stats, ToDoubleFunction<BrokerStats> count, DropReason reason, String policy) {
    FunctionCounter.builder("braid.messages.dropped", stats, count)
        .tag("reason", reason.name().toLowerCase(Locale.ROOT))
        .tag("policy", policy.toLowerCase(Locale.ROOT).replace('_', '-'))
        .description("Messages not delivered to a matching session").register(registry);
  }

  /** A QoS 0 message the server dropped before it reached the core (denied, over the rate). */
  public void messageRefused(String reason) {
    counter("braid.messages.refused", "reason", reason, "Messages refused at the publisher's connection")
        .increment();
  }

  /** The registry, for the Prometheus endpoint and tests. */
  public MeterRegistry registry() {
    return registry;
  }

  private Counter counter(String name, String tag, String value, String description) {
    return tagged.computeIfAbsent(name + '\u0000' + value,
        key -> Counter.builder(name).tag(tag, value).description(description).register(registry));
  }

  private static String hex(int code) {
    return String.format("0x%02X", code);
  }
}
