package io.braid.protocol.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Netty's {@code netty-codec-mqtt} 4.2.9 as an oracle on valid packets: what Braid's encoder writes, Netty's decoder
 * reads as the same packet, field by field, in both versions and both directions.
 */
class NettyMqttDifferentialTest {

  @Property(tries = 300)
  void nettyReadsWhatBraidWrites(@ForAll long seed, @ForAll boolean v5) {
    MqttVersion version = v5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    RandomPackets random = new RandomPackets(seed, version, true);
    List<MqttPacket> sent = new ArrayList<>();
    sent.add(random.connect());
    for (int i = 0; i < 6; i++) {
      sent.add(i % 2 == 0 ? random.fromClient() : random.fromServer());
    }
    Buffer wire = Buffer.buffer();
    sent.forEach(p -> wire.appendBuffer(MqttEncoder.encode(p, version)));

    EmbeddedChannel netty = new EmbeddedChannel(new io.netty.handler.codec.mqtt.MqttDecoder(1 << 20, 65_535));
    netty.writeInbound(Unpooled.wrappedBuffer(wire.getBytes()));
    List<String> nettyRead = new ArrayList<>();
    for (MqttMessage m = netty.readInbound(); m != null; m = netty.readInbound()) {
      assertThat(m.decoderResult().isSuccess()).as("Netty's verdict: %s", m.decoderResult()).isTrue();
      nettyRead.add(describe(m));
      io.netty.util.ReferenceCountUtil.release(m);
    }
    assertThat(nettyRead).containsExactlyElementsOf(sent.stream().map(NettyMqttDifferentialTest::describe).toList());
    netty.finishAndReleaseAll();
  }

  // ------------------------------------------------------------------- one description for both codecs

  static String describe(MqttPacket p) {
    return switch (p.type()) {
      case CONNECT -> {
        MqttPacket.Connect c = (MqttPacket.Connect) p;
        MqttPacket.Will w = c.will();
        yield "CONNECT " + c.version().level() + " " + c.clientId() + " clean=" + c.cleanStart() + " keep="
            + c.keepAliveSeconds() + " user=" + c.username() + " pass=" + hex(c.password()) + " will="
            + (w == null ? "none" : w.topic() + "/" + hex(w.payload()) + "/" + w.qos() + "/" + w.retain() + props(w.properties()))
            + props(c.properties());
      }
      case CONNACK -> {
        MqttPacket.ConnAck c = (MqttPacket.ConnAck) p;
        yield "CONNACK " + c.sessionPresent() + " " + c.reasonCode() + props(c.properties());
      }
      case PUBLISH -> {
        MqttPacket.Publish m = (MqttPacket.Publish) p;
        yield "PUBLISH " + m.topic() + " q" + m.qos() + " r=" + m.retain() + " d=" + m.dup() + " id=" + m.packetId() + " "
            + hex(m.payload()) + props(m.properties());
      }
      case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
        MqttPacket.Ack a = (MqttPacket.Ack) p;
        yield a.type() + " " + a.packetId() + " " + a.reasonCode() + props(a.properties());
      }
      case SUBSCRIBE -> {
        MqttPacket.Subscribe s = (MqttPacket.Subscribe) p;
        StringBuilder sb = new StringBuilder("SUBSCRIBE " + s.packetId());
        s.subscriptions().forEach(sub -> sb.append(' ').append(sub.filter()).append('/').append(sub.qos()).append('/')
            .append(sub.noLocal()).append('/').append(sub.retainAsPublished()).append('/').append(sub.retainHandling()));
        yield sb + props(s.properties());
      }
      case SUBACK -> {
        MqttPacket.SubAck s = (MqttPacket.SubAck) p;
        yield "SUBACK " + s.packetId() + " " + s.reasonCodes() + props(s.properties());
      }
      case UNSUBSCRIBE -> {
        MqttPacket.Unsubscribe u = (MqttPacket.Unsubscribe) p;
        yield "UNSUBSCRIBE " + u.packetId() + " " + u.filters() + props(u.properties());
      }
      case UNSUBACK -> {
        MqttPacket.UnsubAck u = (MqttPacket.UnsubAck) p;
        yield "UNSUBACK " + u.packetId() + " " + u.reasonCodes() + props(u.properties());
      }
      case PINGREQ, PINGRESP -> p.type().toString();
      case DISCONNECT -> "DISCONNECT " + ((MqttPacket.Disconnect) p).reasonCode() + props(((MqttPacket.Disconnect) p).properties());
      case AUTH -> "AUTH " + ((MqttPacket.Auth) p).reasonCode() + props(((MqttPacket.Auth) p).properties());
    };
  }

  static String describe(MqttMessage m) {
    String type = m.fixedHeader().messageType().name();
    Object header = m.variableHeader();
    return switch (type) {
      case "CONNECT" -> {
        MqttConnectMessage c = (MqttConnectMessage) m;
        var h = c.variableHeader();
        var pl = c.payload();
        yield "CONNECT " + h.version() + " " + pl.clientIdentifier() + " clean=" + h.isCleanSession() + " keep="
            + h.keepAliveTimeSeconds() + " user=" + (h.hasUserName() ? pl.userName() : null) + " pass="
            + (h.hasPassword() ? hex(pl.passwordInBytes()) : "null") + " will="
            + (h.isWillFlag() ? pl.willTopic() + "/" + hex(pl.willMessageInBytes()) + "/" + h.willQos() + "/"
                + h.isWillRetain() + props(pl.willProperties()) : "none")
            + props(h.properties());
      }
      case "CONNACK" -> {
        var h = ((MqttConnAckMessage) m).variableHeader();
        yield "CONNACK " + h.isSessionPresent() + " " + (h.connectReturnCode().byteValue() & 0xFF) + props(h.properties());
      }
      case "PUBLISH" -> {
        MqttPublishMessage pub = (MqttPublishMessage) m;
        var h = pub.variableHeader();
        yield "PUBLISH " + h.topicName() + " q" + m.fixedHeader().qosLevel().value() + " r=" + m.fixedHeader().isRetain()
            + " d=" + m.fixedHeader().isDup() + " id=" + Math.max(0, h.packetId()) + " " + hex(pub.payload())
            + props(h.properties());
      }
      case "PUBACK", "PUBREC", "PUBREL", "PUBCOMP" -> {
        if (header instanceof MqttPubReplyMessageVariableHeader r) {
          yield type + " " + r.messageId() + " " + (r.reasonCode() & 0xFF) + props(r.properties());
        }
        yield type + " " + ((MqttMessageIdVariableHeader) header).messageId() + " 0" + nettyProps(null);
      }
      case "SUBSCRIBE" -> {
        MqttSubscribeMessage s = (MqttSubscribeMessage) m;
        StringBuilder sb = new StringBuilder("SUBSCRIBE " + s.idAndPropertiesVariableHeader().messageId());
        s.payload().topicSubscriptions().forEach(t -> sb.append(' ').append(t.topicName()).append('/')
            .append(t.option().qos().value()).append('/').append(t.option().isNoLocal()).append('/')
            .append(t.option().isRetainAsPublished()).append('/').append(t.option().retainHandling().value()));
        yield sb + props(s.idAndPropertiesVariableHeader().properties());
      }
      case "SUBACK" -> {
        MqttSubAckMessage s = (MqttSubAckMessage) m;
        yield "SUBACK " + s.idAndPropertiesVariableHeader().messageId() + " " + s.payload().reasonCodes()
            + props(s.idAndPropertiesVariableHeader().properties());
      }
      case "UNSUBSCRIBE" -> {
        MqttUnsubscribeMessage u = (MqttUnsubscribeMessage) m;
        yield "UNSUBSCRIBE " + u.idAndPropertiesVariableHeader().messageId() + " " + u.payload().topics()
            + props(u.idAndPropertiesVariableHeader().properties());
      }
      case "UNSUBACK" -> {
        MqttUnsubAckMessage u = (MqttUnsubAckMessage) m;
        MqttMessageIdAndPropertiesVariableHeader h = u.idAndPropertiesVariableHeader();
        List<Short> codes = u.payload() == null ? List.of() : u.payload().unsubscribeReasonCodes();
        yield "UNSUBACK " + h.messageId() + " " + codes.stream().map(c -> c & 0xFF).toList() + props(h.properties());
      }
      case "PINGREQ", "PINGRESP" -> type;
      default -> {
        // DISCONNECT, AUTH: a reason code and properties in MQTT 5, nothing in 3.1.1
        if (header instanceof MqttReasonCodeAndPropertiesVariableHeader r) {
          yield type + " " + (r.reasonCode() & 0xFF) + props(r.properties());
        }
        yield type + " 0" + nettyProps(null);
      }
    };
  }

  private static String props(MqttProperties properties) {
    List<String> all = new ArrayList<>();
    for (MqttProperty p : properties.present()) {
      Object v = properties.get(p);
      all.add(p.id() + "=" + (v instanceof Buffer b ? hex(b) : v instanceof Integer i ? Integer.toUnsignedString(i) : v));
    }
    properties.subscriptionIdentifiers().forEach(id -> all.add("11=" + id));
    properties.userProperties().forEach(u -> all.add("38=" + u.name() + ":" + u.value()));
    return " props" + all.stream().sorted().toList();
  }

  private static String props(io.netty.handler.codec.mqtt.MqttProperties properties) {
    return nettyProps(properties);
  }

  private static String nettyProps(io.netty.handler.codec.mqtt.MqttProperties properties) {
    List<String> all = new ArrayList<>();
    if (properties != null) {
      for (io.netty.handler.codec.mqtt.MqttProperties.MqttProperty<?> p : properties.listAll()) {
        Object v = p.value();
        if (p instanceof io.netty.handler.codec.mqtt.MqttProperties.UserProperties users) {
          users.value().forEach(pair -> all.add("38=" + pair.key + ":" + pair.value));
        } else if (p instanceof io.netty.handler.codec.mqtt.MqttProperties.UserProperty user) {
          all.add("38=" + user.value().key + ":" + user.value().value);
        } else {
          all.add(p.propertyId() + "=" + (v instanceof byte[] b ? hex(b) : v instanceof Integer i ? Integer.toUnsignedString(i) : v));
        }
      }
    }
    return " props" + all.stream().sorted().toList();
  }

  private static String hex(Buffer b) {
    return b == null ? "null" : HexFormat.of().formatHex(b.getBytes());
  }

  private static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b);
  }

  private static String hex(ByteBuf b) {
    return ByteBufUtil.hexDump(b);
  }
}
