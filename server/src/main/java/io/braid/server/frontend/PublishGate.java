package io.braid.server.frontend;

import io.braid.protocol.codec.Utf8Validator;
import io.braid.protocol.message.ReasonCode;
import io.braid.pubsub.topic.InvalidTopicException;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicLimits;
import io.braid.pubsub.topic.TopicName;
import io.braid.server.limits.TokenBucket;
import io.braid.server.metrics.BrokerMetrics;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection's publishes must pass before the pub/sub core sees them: the topic's syntax and limits, the
 * payload format, the ACL and the publish rate, each refusal with its MQTT 5 reason code, metric and log line. Over
 * the rate a QoS 1/2 publish is refused (0x97 in its acknowledgement) and a QoS 0 one is slowed.
 * Confined to the connection's thread (the rate's token bucket is the connection's own).
 */
public final class PublishGate {

  private static final Logger log = LoggerFactory.getLogger(PublishGate.class);

  /** What to do with a publish. */
  public sealed interface Verdict {
  }

  /**
   * Publish it to {@code topic}; a QoS 0 publish over the rate is published too, but its credit returns only after
   * {@code creditDelayNanos}, which slows its publisher down to the rate (0: at once).
   */
  public record Accept(TopicName topic, long creditDelayNanos) implements Verdict {
    public Accept(TopicName topic) {
      this(topic, 0);
    }
  }

  /** QoS 1/2: refuse it in its acknowledgement. */
  public record Refuse(int reasonCode, String reason) implements Verdict {
  }

  /** QoS 0, not authorized: drop it without a word (it has no acknowledgement to carry a refusal), counted. */
  public record Drop() implements Verdict {
  }

  /** QoS 0 with a refusal other than the rate: end the connection with the reason code (DISCONNECT). */
  public record Disconnect(int reasonCode, String reason) implements Verdict {
  }

  private final ConnectedClient client;
  private final TopicLimits topicLimits;
  private final TokenBucket rate;
  private final List<TopicFilter> senderTopics;
  private final BrokerMetrics metrics;
  /**
   * The last topic that passed the syntax check and the ACL: a client mostly publishes to the same topic again, which
   * then costs neither a parse into levels nor an ACL walk. The ACL of a connection does not change while it lives.
   */
  private TopicName lastAllowed;

  PublishGate(ConnectedClient client, TopicLimits topicLimits, int ratePerSecond, List<TopicFilter> senderTopics,
      BrokerMetrics metrics) {
    this.client = client;
    this.senderTopics = senderTopics;
    this.topicLimits = topicLimits;
    this.rate = new TokenBucket(ratePerSecond, System.nanoTime());
    this.metrics = metrics;
  }

  /**
   * Checks a publish of {@code payload} to {@code topic} at {@code qos}; {@code declaredUtf8} if its payload format
   * indicator says UTF-8.
   */
  public Verdict check(String topic, int qos, boolean declaredUtf8, Buffer payload) {
    boolean sameAsLast = lastAllowed != null && lastAllowed.asString().equals(topic);
    TopicName name;
    try {
      name = sameAsLast ? lastAllowed : TopicName.parse(topic, topicLimits);
    } catch (InvalidTopicException e) {
      metrics.limitHit("topic_name");
      return refuse(qos, ReasonCode.TOPIC_NAME_INVALID, e.getMessage());
    }
    if (declaredUtf8 && !isUtf8(payload)) {
      return refuse(qos, ReasonCode.PAYLOAD_FORMAT_INVALID, "payload format indicator says UTF-8 but the payload is "
          + "not");
    }
    if (sameAsLast || client.access().canPublish(name)) {
      lastAllowed = name;
    } else {
      metrics.aclDenied("publish");
      log.info("publish denied client_id={} user={} topic={} qos={}", client.clientId(),
          client.principal().username(), name, qos);
      if (qos == 0) {
        metrics.messageRefused("not_authorized");
        return new Drop();
      }
      return new Refuse(ReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + name.asString());
    }
    if (qos == 0) {
      // no acknowledgement to refuse in: slowed, never disconnected, for going too fast
      long wait = rate.reserve(System.nanoTime());
      if (wait > 0) {
        metrics.limitHit("publish_rate");
      }
      return new Accept(name, wait);
    }
    if (!rate.tryAcquire(System.nanoTime())) {
      metrics.limitHit("publish_rate");
      return new Refuse(ReasonCode.QUOTA_EXCEEDED, "more than " + rate.ratePerSecond() + " publishes a second");
    }
    return new Accept(name);
  }

  /**
   * Who sent a message to {@code topic}, for its {@code braid.sender} user property: the authenticated user name, or
   * {@code anonymous:<client id>}; null if the topic is not one of {@code auth.senderTopics}.
   */
  public String senderOf(TopicName topic) {
    for (TopicFilter filter : senderTopics) {
      if (filter.matches(topic)) {
        String user = client.principal().username();
        return user != null ? user : "anonymous:" + client.clientId();
      }
    }
    return null;
  }

  private static Verdict refuse(int qos, int reasonCode, String reason) {
    return qos == 0 ? new Disconnect(reasonCode, reason) : new Refuse(reasonCode, reason);
  }

  private static boolean isUtf8(Buffer payload) {
    byte[] bytes = payload.getBytes();
    return Utf8Validator.isValid(bytes, 0, bytes.length);
  }
}
