package io.braid.server.mqtt;

import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mqtt.MqttPacket;
import io.braid.protocol.mqtt.MqttPacketType;
import io.braid.protocol.mqtt.MqttProperties;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.server.frontend.DeliveryTarget;
import io.braid.server.metrics.BrokerMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where the session's deliveries to one MQTT client go (its {@link DeliveryTarget}): PUBLISH and PUBREL out, the
 * client's PUBACK, PUBREC and PUBCOMP in. All subscriptions share the connection: they are writable while the socket
 * has room and no SUBACK is being prepared (the retained messages a SUBSCRIBE queues follow its SUBACK); the session
 * itself keeps QoS 1/2 deliveries within the client's Receive Maximum. An MQTT 5 client that set a Topic Alias Maximum
 * gets aliases for the first topics it is sent, and a delivery larger than its Maximum Packet Size is not sent
 * [MQTT-3.1.2-25]. Confined to the connection's event loop.
 */
final class MqttDeliveries implements DeliveryTarget {

  private final MqttOutput output;
  private final SessionHandle session;
  private final BrokerMetrics metrics;
  private final BooleanSupplier socketFull;
  private final int topicAliasMaximum;
  private final Map<String, Integer> aliases = new HashMap<>();
  private int held;
  private boolean open = true;

  /** @param topicAliasMaximum the client's Topic Alias Maximum (0: it takes none) */
  MqttDeliveries(MqttOutput output, SessionHandle session, BrokerMetrics metrics, BooleanSupplier socketFull,
      int topicAliasMaximum) {
    this.output = output;
    this.session = session;
    this.metrics = metrics;
    this.socketFull = socketFull;
    this.topicAliasMaximum = topicAliasMaximum;
  }

  /** Holds deliveries back (while a SUBACK is prepared) until the matching {@link #release()}. */
  void hold() {
    held++;
  }

  /** Lets deliveries go again after {@link #hold()}. */
  void release() {
    if (--held == 0 && open) {
      session.resume();
    }
  }

  /** The socket drained: the session may send more. */
  void resume() {
    if (open) {
      session.resume();
    }
  }

  /** The client's PUBACK, PUBREC or PUBCOMP for a delivery. */
  void onAcknowledgement(MqttPacket.Ack ack) {
    if (ack.type() == MqttPacketType.PUBACK) {
      session.pubAck(ack.packetId());
    } else if (ack.type() == MqttPacketType.PUBREC) {
      session.pubRec(ack.packetId(), ReasonCode.isError(ack.reasonCode()));
    } else {
      session.pubComp(ack.packetId());
    }
  }

  /** The connection is closing: nothing more is sent. The session keeps what is in flight for the next one. */
  void close() {
    open = false;
  }

  @Override
  public boolean writable(TopicFilter subscription) {
    return open && held == 0 && !socketFull.getAsBoolean();
  }

  @Override
  public boolean sendPublish(OutboundPublish delivery) {
    if (!open) {
      return true; // the session resends it to the next connection
    }
    String topic = delivery.message().topic().asString();
    Integer known = aliases.get(topic); // the client has this alias: the topic can go out empty
    int alias = known != null ? known : 0;
    if (known == null && output.v5() && aliases.size() < topicAliasMaximum) {
      alias = aliases.size() + 1;
      aliases.put(topic, alias); // set by this PUBLISH, which carries the topic too
    }
    MqttPacket.Publish publish = MqttMapping.toPublish(delivery, output.v5(), known != null ? "" : topic, alias);
    if (!output.sendPublish(publish)) {
      if (known == null && alias != 0) {
        aliases.remove(topic); // never reached the client
      }
      metrics.limitHit("client_packet_size");
      return false;
    }
    return true;
  }

  @Override
  public void sendPubRel(TopicFilter subscription, int packetId) {
    if (open) {
      output.send(new MqttPacket.Ack(MqttPacketType.PUBREL, packetId, ReasonCode.SUCCESS, MqttProperties.NONE));
    }
  }
}
