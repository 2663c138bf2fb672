package io.braid.protocol.mqtt;

import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mqtt.MqttPacket.Ack;
import io.braid.protocol.mqtt.MqttPacket.Connect;
import io.braid.protocol.mqtt.MqttPacket.Publish;
import io.braid.protocol.mqtt.MqttPacket.Subscription;
import io.vertx.core.buffer.Buffer;

/**
 * Encodes MQTT control packets in one version. What the version lacks is left out: MQTT 3.1.1 gets no properties,
 * no reason codes in acknowledgements, UNSUBACK or DISCONNECT. MQTT 5 acknowledgements and DISCONNECT take their
 * shortest form: a success without properties is sent without reason code (§3.4.2.1). Stateless.
 */
public final class MqttEncoder {
  private MqttEncoder() {}

  /**
   * The packet's bytes, in a buffer of exactly their size made for this call (a view of one array: append it to
   * another buffer, not others to it).
   */
  public static Buffer encode(MqttPacket packet, MqttVersion version) {
    MqttWriter w = packet instanceof Publish p
        ? new MqttWriter(p.payload().length() + 3 * p.topic().length() + 16) : new MqttWriter();
    int flags = 0;
    switch (packet.type()) {
      case CONNECT -> connect((Connect) packet, w);
      case CONNACK -> {
        MqttPacket.ConnAck c = (MqttPacket.ConnAck) packet;
        w.u8(c.sessionPresent() ? 1 : 0).u8(c.reasonCode()).properties(c.properties(), version);
      }
      case PUBLISH -> flags = publish((Publish) packet, version, w);
      case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
        Ack a = (Ack) packet;
        flags = a.type().requiredFlags();
        w.u16(a.packetId());
        reasonAndProperties(a.reasonCode(), a.properties(), version, w);
      }
      case SUBSCRIBE -> {
        flags = MqttPacketType.SUBSCRIBE.requiredFlags();
        subscribe((MqttPacket.Subscribe) packet, version, w);
      }
      case SUBACK -> {
        MqttPacket.SubAck s = (MqttPacket.SubAck) packet;
        w.u16(s.packetId()).properties(s.properties(), version);
        s.reasonCodes().forEach(w::u8);
      }
      case UNSUBSCRIBE -> {
        flags = MqttPacketType.UNSUBSCRIBE.requiredFlags();
        MqttPacket.Unsubscribe u = (MqttPacket.Unsubscribe) packet;
        w.u16(u.packetId()).properties(u.properties(), version);
        u.filters().forEach(w::utf8);
      }
      case UNSUBACK -> {
        MqttPacket.UnsubAck u = (MqttPacket.UnsubAck) packet;
        w.u16(u.packetId());
        if (version == MqttVersion.V5) {
          w.properties(u.properties(), version);
          u.reasonCodes().forEach(w::u8);
        }
      }
      case PINGREQ, PINGRESP -> { }
      case DISCONNECT -> {
        MqttPacket.Disconnect d = (MqttPacket.Disconnect) packet;
        reasonAndProperties(d.reasonCode(), d.properties(), version, w);
      }
      case AUTH -> {
        if (version != MqttVersion.V5) {
          throw new IllegalArgumentException("AUTH is not a packet of MQTT 3.1.1");
        }
        MqttPacket.Auth a = (MqttPacket.Auth) packet;
        if (a.reasonCode() != ReasonCode.SUCCESS || !a.properties().isEmpty()) {
          w.u8(a.reasonCode()).properties(a.properties(), version); // AUTH: both or neither (§3.15.2.1)
        }
      }
    }
    return w.packet(packet.type(), flags);
  }

  private static int publish(Publish p, MqttVersion version, MqttWriter w) {
    w.utf8(p.topic());
    if (p.qos() > 0) {
      w.u16(p.packetId());
    }
    w.properties(p.properties(), version).raw(p.payload());
    return (p.dup() ? 0x08 : 0) | (p.qos() << 1) | (p.retain() ? 1 : 0);
  }

  /** MQTT 3.1.1 has only the QoS in a subscription's options byte; the other bits are reserved there (§3.8.3.1). */
  private static void subscribe(MqttPacket.Subscribe s, MqttVersion version, MqttWriter w) {
    w.u16(s.packetId()).properties(s.properties(), version);
    for (Subscription sub : s.subscriptions()) {
      int options = version != MqttVersion.V5 ? sub.qos() : sub.qos() | (sub.noLocal() ? 0x04 : 0)
          | (sub.retainAsPublished() ? 0x08 : 0) | (sub.retainHandling() << 4);
      w.utf8(sub.filter()).u8(options);
    }
  }

  private static void connect(Connect c, MqttWriter w) {
    MqttVersion version = c.version();
    MqttPacket.Will will = c.will();
    int flags = (c.cleanStart() ? 0x02 : 0) | (c.username() != null ? 0x80 : 0) | (c.password() != null ? 0x40 : 0);
    if (will != null) {
      flags |= 0x04 | (will.qos() << 3) | (will.retain() ? 0x20 : 0);
    }
    w.utf8("MQTT").u8(version.level()).u8(flags).u16(c.keepAliveSeconds()).properties(c.properties(), version)
        .utf8(c.clientId());
    if (will != null) {
      w.properties(will.properties(), version).utf8(will.topic()).binary(will.payload());
    }
    if (c.username() != null) {
      w.utf8(c.username());
    }
    if (c.password() != null) {
      w.binary(c.password());
    }
  }

  /** MQTT 5's reason code and properties, both left out for a success without properties; none in MQTT 3.1.1. */
  private static void reasonAndProperties(int reasonCode, MqttProperties properties, MqttVersion version, MqttWriter w) {
    if (version != MqttVersion.V5 || (reasonCode == ReasonCode.SUCCESS && properties.isEmpty())) {
      return;
    }
    w.u8(reasonCode);
    if (!properties.isEmpty()) {
      w.properties(properties, version);
    }
  }
}
