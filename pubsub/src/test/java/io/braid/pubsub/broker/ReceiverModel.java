package io.braid.pubsub.broker;

import io.braid.pubsub.topic.TopicFilter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A subscribing client that follows MQTT 5 to the letter, across its connections: it hands a QoS 2 message to the
 * application when its PUBLISH first arrives and treats a PUBLISH with a packet identifier it has not yet seen
 * released as a duplicate (§4.3.3, method B). Confined to one thread at a time (its connection's).
 */
final class ReceiverModel {

  /** Payloads handed to the application, in arrival order. */
  final List<String> delivered = new ArrayList<>();
  private final Set<Integer> unreleased = new HashSet<>();

  /** A link for one connection of this client that acknowledges everything at once through {@code handle}. */
  ClientLink link(SessionHandle[] handle) {
    return new ClientLink() {
      @Override
      public boolean writable(TopicFilter subscription) {
        return true;
      }

      @Override
      public boolean sendPublish(OutboundPublish publish) {
        String payload = new String(publish.message().payload(), java.nio.charset.StandardCharsets.UTF_8);
        switch (publish.qos()) {
          case 0 -> delivered.add(payload);
          case 1 -> {
            delivered.add(payload);
            handle[0].pubAck(publish.packetId());
          }
          default -> {
            if (unreleased.add(publish.packetId())) {
              delivered.add(payload);
            }
            handle[0].pubRec(publish.packetId(), false);
          }
        }
        return true;
      }

      @Override
      public void sendPubRel(TopicFilter subscription, int packetId) {
        unreleased.remove(packetId);
        handle[0].pubComp(packetId);
      }

      @Override
      public void close(DisconnectCause cause) {
      }
    };
  }
}
