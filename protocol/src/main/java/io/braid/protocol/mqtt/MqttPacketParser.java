package io.braid.protocol.mqtt;

import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mqtt.MqttPacket.Ack;
import io.braid.protocol.mqtt.MqttPacket.ConnAck;
import io.braid.protocol.mqtt.MqttPacket.Connect;
import io.braid.protocol.mqtt.MqttPacket.Publish;
import io.braid.protocol.mqtt.MqttPacket.Subscription;
import io.braid.protocol.mqtt.MqttPacket.Will;
import io.braid.protocol.mqtt.MqttProperty.Context;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** Parses the variable header and payload of each packet type (MQTT 5 §3, MQTT 3.1.1 §3), once it lies whole. */
final class MqttPacketParser {
  private MqttPacketParser() {}

  static MqttPacket parse(MqttPacketType type, int flags, MqttVersion version, MqttReader r) {
    MqttPacket packet = switch (type) {
      case CONNECT -> connect(r);
      case CONNACK -> connAck(r, version);
      case PUBLISH -> publish(flags, r, version);
      case PUBACK, PUBREC, PUBREL, PUBCOMP -> ack(type, r, version);
      case SUBSCRIBE -> subscribe(r, version);
      case SUBACK -> subAck(r, version);
      case UNSUBSCRIBE -> unsubscribe(r, version);
      case UNSUBACK -> unsubAck(r, version);
      case PINGREQ -> new MqttPacket.PingReq();
      case PINGRESP -> new MqttPacket.PingResp();
      case DISCONNECT -> disconnect(r, version);
      case AUTH -> auth(r, version);
    };
    if (r.hasRemaining()) {
      throw MqttDecodeException.malformed(type + ": " + r.remaining() + " bytes after its end");
    }
    return packet;
  }

  private static int packetId(MqttReader r) {
    int id = r.u16("packet identifier");
    if (id == 0) {
      throw MqttDecodeException.malformed("packet identifier 0");
    }
    return id;
  }

  private static Connect connect(MqttReader r) {
    String name = r.utf8("protocol name");
    int level = r.u8("protocol level");
    MqttVersion version = MqttVersion.ofLevel(level);
    if (version == null || !name.equals("MQTT")) {
      throw new MqttDecodeException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
          "protocol " + name + " level " + level + " (Braid speaks MQTT 3.1.1 and 5)");
    }
    int flags = r.u8("connect flags");
    boolean willFlag = (flags & 0x04) != 0;
    int willQos = (flags >>> 3) & 0x03;
    boolean willRetain = (flags & 0x20) != 0;
    boolean passwordFlag = (flags & 0x40) != 0;
    boolean usernameFlag = (flags & 0x80) != 0;
    if ((flags & 0x01) != 0) {
      throw MqttDecodeException.malformed("the reserved connect flag is set");
    }
    if (willQos == 3) {
      throw MqttDecodeException.malformed("will QoS 3");
    }
    if (!willFlag && (willQos != 0 || willRetain)) {
      throw MqttDecodeException.malformed("will QoS or retain set without a will");
    }
    if (version == MqttVersion.V3_1_1 && passwordFlag && !usernameFlag) {
      throw MqttDecodeException.malformed("a password without a user name (MQTT 3.1.1)");
    }
    int keepAlive = r.u16("keep alive");
    MqttProperties properties = r.properties(version, Context.CONNECT);
    if (properties.get(MqttProperty.AUTHENTICATION_DATA) != null && properties.get(MqttProperty.AUTHENTICATION_METHOD) == null) {
      throw MqttDecodeException.protocolError("authentication data without an authentication method");
    }
    String clientId = r.utf8("client identifier");
    Will will = null;
    if (willFlag) {
      MqttProperties willProperties = r.properties(version, Context.WILL);
      will = new Will(r.utf8("will topic"), r.binary("will payload"), willQos, willRetain, willProperties);
    }
    String username = usernameFlag ? r.utf8("user name") : null;
    Buffer password = passwordFlag ? r.binary("password") : null;
    return new Connect(version, clientId, (flags & 0x02) != 0, keepAlive, username, password, will, properties);
  }

  private static ConnAck connAck(MqttReader r, MqttVersion version) {
    int flags = r.u8("connect acknowledge flags");
    if ((flags & 0xFE) != 0) {
      throw MqttDecodeException.malformed("reserved connect acknowledge flags are set");
    }
    int code = r.u8("reason code");
    return new ConnAck((flags & 1) != 0, code, r.properties(version, Context.CONNACK));
  }

  private static Publish publish(int flags, MqttReader r, MqttVersion version) {
    int qos = (flags >>> 1) & 0x03;
    boolean dup = (flags & 0x08) != 0;
    if (qos == 3) {
      throw MqttDecodeException.malformed("PUBLISH with QoS 3");
    }
    if (dup && qos == 0) {
      throw MqttDecodeException.malformed("DUP set on a QoS 0 PUBLISH");
    }
    String topic = r.utf8("topic name");
    int packetId = qos > 0 ? packetId(r) : 0;
    MqttProperties properties = r.properties(version, Context.PUBLISH);
    return new Publish(topic, qos, (flags & 1) != 0, dup, packetId, r.rest(), properties);
  }

  private static Ack ack(MqttPacketType type, MqttReader r, MqttVersion version) {
    int packetId = packetId(r);
    if (version != MqttVersion.V5 || !r.hasRemaining()) {
      return new Ack(type, packetId, ReasonCode.SUCCESS, MqttProperties.NONE);
    }
    int code = r.u8("reason code");
    MqttProperties properties = r.hasRemaining() ? r.properties(version, Context.ACK) : MqttProperties.NONE;
    return new Ack(type, packetId, code, properties);
  }

  private static MqttPacket.Subscribe subscribe(MqttReader r, MqttVersion version) {
    int packetId = packetId(r);
    MqttProperties properties = r.properties(version, Context.SUBSCRIBE);
    if (properties.subscriptionIdentifiers().size() > 1) {
      throw MqttDecodeException.protocolError("more than one subscription identifier in a SUBSCRIBE");
    }
    List<Subscription> subscriptions = new ArrayList<>();
    while (r.hasRemaining()) {
      String filter = r.utf8("topic filter");
      subscriptions.add(options(filter, r.u8("subscription options"), version));
    }
    if (subscriptions.isEmpty()) {
      throw MqttDecodeException.protocolError("SUBSCRIBE without a topic filter");
    }
    return new MqttPacket.Subscribe(packetId, subscriptions, properties);
  }

  private static Subscription options(String filter, int options, MqttVersion version) {
    int reserved = version == MqttVersion.V5 ? 0xC0 : 0xFC;
    if ((options & reserved) != 0) {
      throw MqttDecodeException.malformed("reserved subscription option bits are set");
    }
    int qos = options & 0x03;
    int retainHandling = (options >>> 4) & 0x03;
    if (qos == 3) {
      throw MqttDecodeException.malformed("subscription with QoS 3");
    }
    if (retainHandling == 3) {
      throw MqttDecodeException.protocolError("retain handling 3");
    }
    return new Subscription(filter, qos, (options & 0x04) != 0, (options & 0x08) != 0, retainHandling);
  }

  private static MqttPacket.SubAck subAck(MqttReader r, MqttVersion version) {
    int packetId = packetId(r);
    MqttProperties properties = r.properties(version, Context.SUBACK);
    List<Integer> codes = codes(r);
    if (codes.isEmpty()) {
      throw MqttDecodeException.protocolError("SUBACK without a reason code");
    }
    return new MqttPacket.SubAck(packetId, codes, properties);
  }

  private static MqttPacket.Unsubscribe unsubscribe(MqttReader r, MqttVersion version) {
    int packetId = packetId(r);
    MqttProperties properties = r.properties(version, Context.UNSUBSCRIBE);
    List<String> filters = new ArrayList<>();
    while (r.hasRemaining()) {
      filters.add(r.utf8("topic filter"));
    }
    if (filters.isEmpty()) {
      throw MqttDecodeException.protocolError("UNSUBSCRIBE without a topic filter");
    }
    return new MqttPacket.Unsubscribe(packetId, filters, properties);
  }

  private static MqttPacket.UnsubAck unsubAck(MqttReader r, MqttVersion version) {
    int packetId = packetId(r);
    if (version != MqttVersion.V5) {
      return new MqttPacket.UnsubAck(packetId, List.of(), MqttProperties.NONE);
    }
    MqttProperties properties = r.properties(version, Context.UNSUBACK);
    List<Integer> codes = codes(r);
    if (codes.isEmpty()) {
      throw MqttDecodeException.protocolError("UNSUBACK without a reason code");
    }
    return new MqttPacket.UnsubAck(packetId, codes, properties);
  }

  private static List<Integer> codes(MqttReader r) {
    List<Integer> codes = new ArrayList<>();
    while (r.hasRemaining()) {
      codes.add(r.u8("reason code"));
    }
    return codes;
  }

  private static MqttPacket.Disconnect disconnect(MqttReader r, MqttVersion version) {
    if (version != MqttVersion.V5 || !r.hasRemaining()) {
      return new MqttPacket.Disconnect(ReasonCode.SUCCESS, MqttProperties.NONE);
    }
    int code = r.u8("reason code");
    return new MqttPacket.Disconnect(code, r.hasRemaining() ? r.properties(version, Context.DISCONNECT) : MqttProperties.NONE);
  }

  private static MqttPacket.Auth auth(MqttReader r, MqttVersion version) {
    if (version != MqttVersion.V5) {
      throw MqttDecodeException.malformed("AUTH is not a packet of MQTT 3.1.1");
    }
    if (!r.hasRemaining()) {
      return new MqttPacket.Auth(ReasonCode.SUCCESS, MqttProperties.NONE);
    }
    int code = r.u8("reason code");
    if (!r.hasRemaining()) {
      throw MqttDecodeException.malformed("AUTH with a reason code but no property length (§3.15.2.1)");
    }
    return new MqttPacket.Auth(code, r.properties(version, Context.AUTH));
  }
}
