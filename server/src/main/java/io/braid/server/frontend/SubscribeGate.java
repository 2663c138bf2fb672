package io.braid.server.frontend;

import io.braid.protocol.message.ReasonCode;
import io.braid.pubsub.presence.Presence;
import io.braid.pubsub.subscription.Subscription;
import io.braid.pubsub.topic.InvalidTopicException;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicLimits;
import io.braid.server.metrics.BrokerMetrics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection's subscriptions must pass: the filter's syntax and limits, the shared-subscription rules, the
 * ACL and the session's number of subscriptions, each refusal with its MQTT 5 reason code, metric and log line.
 * Confined to the connection's thread.
 */
public final class SubscribeGate {

  private static final Logger log = LoggerFactory.getLogger(SubscribeGate.class);

  /** What to do with a subscription. */
  public sealed interface Verdict {
  }

  /** Subscribe to {@code filter}. */
  public record Accept(TopicFilter filter) implements Verdict {
  }

  /** Refuse it (SUBACK with the reason code). */
  public record Refuse(int reasonCode, String reason) implements Verdict {
  }

  private final ConnectedClient client;
  private final TopicLimits topicLimits;
  private final int maxSubscriptions;
  private final BrokerMetrics metrics;

  SubscribeGate(ConnectedClient client, TopicLimits topicLimits, int maxSubscriptions, BrokerMetrics metrics) {
    this.client = client;
    this.topicLimits = topicLimits;
    this.maxSubscriptions = maxSubscriptions;
    this.metrics = metrics;
  }

  /** The filter of a subscription, or the refusal of one that does not parse or breaks a rule of its own. */
  public Verdict parse(String filter, boolean noLocal) {
    TopicFilter parsed;
    try {
      parsed = TopicFilter.parse(filter, topicLimits);
    } catch (InvalidTopicException e) {
      metrics.limitHit("topic_filter");
      return new Refuse(ReasonCode.TOPIC_FILTER_INVALID, e.getMessage());
    }
    if (parsed.isShared() && noLocal) {
      return new Refuse(ReasonCode.TOPIC_FILTER_INVALID,
          "No Local must not be set on a shared subscription [MQTT-3.8.3-4]");
    }
    return new Accept(parsed);
  }

  /** Whether the client may hold {@code filter}: the ACL, and the session's limit if the subscription is new. */
  public Verdict authorize(TopicFilter filter) {
    // who may read a topic may see who is in it: $presence/<filter> is checked as <filter>
    TopicFilter checked = filter;
    if (Presence.isPresenceFilter(filter)) {
      try {
        checked = TopicFilter.parse(filter.asString().substring(Presence.PREFIX.length()));
      } catch (IllegalArgumentException e) {
        return new Refuse(ReasonCode.TOPIC_FILTER_INVALID, "$presence/ must be followed by a topic filter: "
            + e.getMessage());
      }
    }
    if (!client.access().canSubscribe(checked)) {
      metrics.aclDenied("subscribe");
      log.info("subscribe denied client_id={} user={} filter={}", client.clientId(), client.principal().username(),
          filter);
      return new Refuse(ReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to " + filter.asString());
    }
    List<Subscription> current = client.session().subscriptions();
    boolean known = current.stream().anyMatch(subscription -> subscription.filter().equals(filter));
    if (!known && current.size() >= maxSubscriptions) {
      metrics.limitHit("subscriptions");
      return new Refuse(ReasonCode.QUOTA_EXCEEDED, "at most " + maxSubscriptions + " subscriptions per session");
    }
    return new Accept(filter);
  }
}
