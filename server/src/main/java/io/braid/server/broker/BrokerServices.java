package io.braid.server.broker;

import io.braid.protocol.mux.StreamSettings;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.topic.TopicLimits;
import io.braid.server.auth.AccessPolicy;
import io.braid.server.auth.Authenticator;
import io.braid.server.config.BrokerConfig;
import io.braid.server.metrics.BrokerMetrics;
import io.vertx.core.Vertx;

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
  }
}
