package io.braid.server.broker;

import io.braid.protocol.message.UserProperty;
import io.braid.protocol.mux.StreamSettings;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.topic.TopicLimits;
import io.braid.server.auth.AccessPolicy;
import io.braid.server.auth.Authenticator;
import io.braid.server.config.BrokerConfig;
import io.braid.server.metrics.BrokerMetrics;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * What every broker connection shares: the broker core, the configuration, authentication and authorization, and
 * the metrics. Immutable; every member is thread safe.
 */
final class BrokerServices {

  final Vertx vertx;
  final Broker broker;
  final BrokerConfig config;
  final Authenticator authenticator;
  final AccessPolicy acl;
  final BrokerMetrics metrics;
  final TopicLimits topicLimits;
  final StreamSettings streamSettings;
  /** The limits a client should know, sent as {@code braid.*} user properties of every successful CONNACK. */
  final List<UserProperty> limitProperties;

  BrokerServices(Vertx vertx, Broker broker, BrokerConfig config, Authenticator authenticator, AccessPolicy acl,
      BrokerMetrics metrics) {
    this.vertx = vertx;
    this.broker = broker;
    this.config = config;
    this.authenticator = authenticator;
    this.acl = acl;
    this.metrics = metrics;
    this.topicLimits = new TopicLimits(config.limits().maxTopicLength(), config.limits().maxTopicLevels());
    this.streamSettings = new StreamSettings(StreamSettings.DEFAULTS.initialStreamWindow(),
        StreamSettings.DEFAULTS.initialConnectionWindow(), config.limits().maxStreamsPerConnection(),
        config.limits().maxMessageBytes());
    BrokerConfig.Sessions sessions = config.sessions();
    this.limitProperties = List.of(
        new UserProperty("braid.maxSubscriptions", Integer.toString(sessions.maxSubscriptions())),
        new UserProperty("braid.maxQueuedMessages", Integer.toString(sessions.maxQueuedMessages())),
        new UserProperty("braid.queueOverflow", sessions.queueOverflow()),
        new UserProperty("braid.maxInflight", Integer.toString(sessions.maxInflight())),
        new UserProperty("braid.maxTopicLength", Integer.toString(config.limits().maxTopicLength())),
        new UserProperty("braid.maxTopicLevels", Integer.toString(config.limits().maxTopicLevels())),
        new UserProperty("braid.publishRatePerSecond", Integer.toString(config.limits().publishRatePerClient())));
  }
}
