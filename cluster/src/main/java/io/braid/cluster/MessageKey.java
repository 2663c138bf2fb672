package io.braid.cluster;

import io.braid.pubsub.message.ApplicationMessage;
import java.util.Arrays;

/**
 * What names one published message on every node whatever id each node gave it: its publisher, the time its first
 * node accepted it (kept when a node restamps it), its topic, QoS and payload. Two messages with equal keys are
 * interchangeable for a subscriber, so counting keys (a multiset) tells the copies of one message apart from others.
 */
record MessageKey(String publisherId, long createdAtMillis, String topic, int qos, int payloadLength,
    int payloadHash) {

  static MessageKey of(ApplicationMessage message) {
    return new MessageKey(message.publisherId(), message.createdAtMillis(), message.topic().asString(), message.qos(),
        message.payload().length, Arrays.hashCode(message.payload()));
  }
}
