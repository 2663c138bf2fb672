package io.braid.protocol.mqtt;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * An MQTT control packet, as decoded and as encoded, for MQTT 3.1.1 and 5 alike: fields a version lacks are left at
 * their neutral value (no properties, reason code 0). Immutable values.
 */
public sealed interface MqttPacket {
  MqttPacketType type();

  /** A will (§3.1.3.2-3.1.3.4); {@code properties} only in MQTT 5. */
  record Will(String topic, Buffer payload, int qos, boolean retain, MqttProperties properties) {}

  /**
   * CONNECT (§3.1). {@code username} and {@code password} are null when absent; an empty {@code clientId} asks the
   * server to assign one.
   */
  record Connect(MqttVersion version, String clientId, boolean cleanStart, int keepAliveSeconds, String username,
      Buffer password, Will will, MqttProperties properties) implements MqttPacket {
    @Override
    public MqttPacketType type() {
      return MqttPacketType.CONNECT;
    }
  }

  /** CONNACK (§3.2): {@code reasonCode} is MQTT 3.1.1's return code there. */
  record ConnAck(boolean sessionPresent, int reasonCode, MqttProperties properties) implements MqttPacket {
    @Override
    public MqttPacketType type() {
      return MqttPacketType.CONNACK;
    }
  }

  /** PUBLISH (§3.3); {@code packetId} is 0 at QoS 0. An MQTT 5 topic may be empty when a topic alias names it. */
  record Publish(String topic, int qos, boolean retain, boolean dup, int packetId, Buffer payload,
      MqttProperties properties) implements MqttPacket {
    @Override
    public MqttPacketType type() {
      return MqttPacketType.PUBLISH;
    }
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP (§3.4-3.7): one shape, told apart by {@code type}. */
  record Ack(MqttPacketType type, int packetId, int reasonCode, MqttProperties properties) implements MqttPacket {
    public Ack {
      if (type != MqttPacketType.PUBACK && type != MqttPacketType.PUBREC && type != MqttPacketType.PUBREL
          && type != MqttPacketType.PUBCOMP) {
        throw new IllegalArgumentException("not an acknowledgement: " + type);
      }
    }
  }

  /** One topic filter of a SUBSCRIBE with its options (§3.8.3.1); MQTT 3.1.1 has only the QoS. */
  record Subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
    public static Subscription of(String filter, int qos) {
      return new Subscription(filter, qos, false, false, 0);
    }
  }

  /** SUBSCRIBE (§3.8). */
  record Subscribe(int packetId, List<Subscription> subscriptions, MqttProperties properties) implements MqttPacket {
    public Subscribe {
      subscriptions = List.copyOf(subscriptions);
    }

    @Override
    public MqttPacketType type() {
      return MqttPacketType.SUBSCRIBE;
    }
  }

  /** SUBACK (§3.9): a reason code (3.1.1: return code) per subscription, in order. */
  record SubAck(int packetId, List<Integer> reasonCodes, MqttProperties properties) implements MqttPacket {
    public SubAck {
      reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public MqttPacketType type() {
      return MqttPacketType.SUBACK;
    }
  }

  /** UNSUBSCRIBE (§3.10). */
  record Unsubscribe(int packetId, List<String> filters, MqttProperties properties) implements MqttPacket {
    public Unsubscribe {
      filters = List.copyOf(filters);
    }

    @Override
    public MqttPacketType type() {
      return MqttPacketType.UNSUBSCRIBE;
    }
  }

  /** UNSUBACK (§3.11): a reason code per filter in MQTT 5, none in 3.1.1. */
  record UnsubAck(int packetId, List<Integer> reasonCodes, MqttProperties properties) implements MqttPacket {
    public UnsubAck {
      reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public MqttPacketType type() {
      return MqttPacketType.UNSUBACK;
    }
  }

  /** PINGREQ (§3.12). */
  record PingReq() implements MqttPacket {
    @Override
    public MqttPacketType type() {
      return MqttPacketType.PINGREQ;
    }
  }

  /** PINGRESP (§3.13). */
  record PingResp() implements MqttPacket {
    @Override
    public MqttPacketType type() {
      return MqttPacketType.PINGRESP;
    }
  }

  /** DISCONNECT (§3.14); MQTT 3.1.1's has neither reason code nor properties. */
  record Disconnect(int reasonCode, MqttProperties properties) implements MqttPacket {
    @Override
    public MqttPacketType type() {
      return MqttPacketType.DISCONNECT;
    }
  }

  /** AUTH (§3.15), MQTT 5 only. */
  record Auth(int reasonCode, MqttProperties properties) implements MqttPacket {
    @Override
    public MqttPacketType type() {
      return MqttPacketType.AUTH;
    }
  }
}
