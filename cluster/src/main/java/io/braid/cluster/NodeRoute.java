package io.braid.cluster;

import io.braid.pubsub.topic.TopicFilter;

/** One entry of the route table: {@code node} has subscribers for {@code filter} (a shared one names its group). */
record NodeRoute(String node, TopicFilter filter) {

  /** MQTT forbids U+0000 in topic filters [MQTT-4.7.3-2], so it cannot occur inside either part. */
  private static final char SEPARATOR = '\u0000';

  /** The key of this route in the cluster-wide map. */
  String key() {
    return node + SEPARATOR + filter.asString();
  }

  /** The route a cluster-wide map key names; null for a key that is not a route's. */
  static NodeRoute ofKey(String key) {
    int separator = key.indexOf(SEPARATOR);
    if (separator <= 0) {
      return null;
    }
    return new NodeRoute(key.substring(0, separator), TopicFilter.parse(key.substring(separator + 1)));
  }
}
