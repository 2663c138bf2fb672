package io.braid.protocol.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The other direction of {@link NettyMqttDifferentialTest}: what Netty's encoder writes, Braid's decoder reads. */
class NettyToBraidDifferentialTest {

  @Property(tries = 300)
  void braidReadsWhatNettyWrites(@ForAll long seed, @ForAll boolean v5) {
    MqttVersion version = v5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    RandomPackets random = new RandomPackets(seed, version, true);
    List<MqttPacket> sent = new ArrayList<>();
    sent.add(random.connect());
    while (sent.size() < 7) {
      MqttPacket packet = random.fromClient();
      if (!successWithProperties(packet)) {
        sent.add(packet);
      }
    }
    EmbeddedChannel netty = new EmbeddedChannel(io.netty.handler.codec.mqtt.MqttEncoder.INSTANCE);
    Buffer wire = Buffer.buffer();
    for (MqttPacket packet : sent) {
      netty.writeOutbound(toNetty(packet));
      for (ByteBuf out = netty.readOutbound(); out != null; out = netty.readOutbound()) {
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        wire.appendBytes(bytes);
      }
    }
    netty.finishAndReleaseAll();
    assertThat(MqttWire.serverReads(wire).stream().map(NettyMqttDifferentialTest::describe).toList())
        .containsExactlyElementsOf(sent.stream().map(NettyMqttDifferentialTest::describe).toList());
  }

  /**
   * A PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT or AUTH with reason code 0 and properties: Netty 4.2.9's encoder
   * writes some of them (those with only user properties) in the short form, dropping the properties, so it cannot
   * serve as the oracle there.
   */
  private static boolean successWithProperties(MqttPacket packet) {
    if (packet instanceof MqttPacket.Ack a) {
      return a.reasonCode() == 0 && !a.properties().isEmpty();
    }
    if (packet instanceof MqttPacket.Auth a) {
      return a.reasonCode() == 0 && !a.properties().isEmpty();
    }
    return packet instanceof MqttPacket.Disconnect d && d.reasonCode() == 0 && !d.properties().isEmpty();
  }

  private static MqttMessage toNetty(MqttPacket packet) {
    return switch (packet.type()) {
      case CONNECT -> connect((MqttPacket.Connect) packet);
      case PUBLISH -> {
        MqttPacket.Publish p = (MqttPacket.Publish) packet;
        yield MqttMessageFactory.newMessage(
            new MqttFixedHeader(MqttMessageType.PUBLISH, p.dup(), MqttQoS.valueOf(p.qos()), p.retain(), 0),
            new MqttPublishVariableHeader(p.topic(), p.qos() == 0 ? -1 : p.packetId(), props(p.properties())),
            Unpooled.wrappedBuffer(p.payload().getBytes()));
      }
      case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
        MqttPacket.Ack a = (MqttPacket.Ack) packet;
        MqttMessageType type = MqttMessageType.valueOf(a.type().code());
        MqttQoS qos = a.type() == MqttPacketType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        Object header = a.reasonCode() == 0 && a.properties().isEmpty() ? MqttMessageIdVariableHeader.from(a.packetId())
            : new MqttPubReplyMessageVariableHeader(a.packetId(), (byte) a.reasonCode(), props(a.properties()));
        yield MqttMessageFactory.newMessage(new MqttFixedHeader(type, false, qos, false, 0), header, null);
      }
      case SUBSCRIBE -> {
        MqttPacket.Subscribe s = (MqttPacket.Subscribe) packet;
        List<MqttTopicSubscription> subs = s.subscriptions().stream().map(sub -> new MqttTopicSubscription(sub.filter(),
            new MqttSubscriptionOption(MqttQoS.valueOf(sub.qos()), sub.noLocal(), sub.retainAsPublished(),
                MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(sub.retainHandling())))).toList();
        yield MqttMessageFactory.newMessage(new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
            new MqttMessageIdAndPropertiesVariableHeader(s.packetId(), props(s.properties())), new MqttSubscribePayload(subs));
      }
      case UNSUBSCRIBE -> {
        MqttPacket.Unsubscribe u = (MqttPacket.Unsubscribe) packet;
        yield MqttMessageFactory.newMessage(new MqttFixedHeader(MqttMessageType.UNSUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
            new MqttMessageIdAndPropertiesVariableHeader(u.packetId(), props(u.properties())), new MqttUnsubscribePayload(u.filters()));
      }
      case PINGREQ -> new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));
      case DISCONNECT, AUTH -> {
        int code = packet instanceof MqttPacket.Disconnect d ? d.reasonCode() : ((MqttPacket.Auth) packet).reasonCode();
        MqttProperties properties = packet instanceof MqttPacket.Disconnect d ? d.properties() : ((MqttPacket.Auth) packet).properties();
        MqttMessageType type = MqttMessageType.valueOf(packet.type().code());
        Object header = code == 0 && properties.isEmpty() ? null
            : new MqttReasonCodeAndPropertiesVariableHeader((byte) code, props(properties));
        yield MqttMessageFactory.newMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0), header, null);
      }
      default -> throw new IllegalArgumentException("not a client packet: " + packet);
    };
  }

  private static MqttMessage connect(MqttPacket.Connect c) {
    MqttPacket.Will w = c.will();
    MqttConnectVariableHeader header = new MqttConnectVariableHeader("MQTT", c.version().level(), c.username() != null,
        c.password() != null, w != null && w.retain(), w == null ? 0 : w.qos(), w != null, c.cleanStart(),
        c.keepAliveSeconds(), props(c.properties()));
    MqttConnectPayload payload = new MqttConnectPayload(c.clientId(), w == null ? null : props(w.properties()),
        w == null ? null : w.topic(), w == null ? null : w.payload().getBytes(), c.username(),
        c.password() == null ? null : c.password().getBytes());
    return MqttMessageFactory.newMessage(new MqttFixedHeader(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
        header, payload);
  }

  private static io.netty.handler.codec.mqtt.MqttProperties props(MqttProperties properties) {
    io.netty.handler.codec.mqtt.MqttProperties netty = new io.netty.handler.codec.mqtt.MqttProperties();
    for (MqttProperty p : properties.present()) {
      Object v = properties.get(p);
      if (v instanceof Integer i) {
        netty.add(new io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty(p.id(), i));
      } else if (v instanceof String s) {
        netty.add(new io.netty.handler.codec.mqtt.MqttProperties.StringProperty(p.id(), s));
      } else {
        netty.add(new io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty(p.id(), ((Buffer) v).getBytes()));
      }
    }
    properties.subscriptionIdentifiers().forEach(id -> netty.add(
        new io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty(MqttProperty.SUBSCRIPTION_IDENTIFIER.id(), id)));
    properties.userProperties().forEach(u -> netty.add(
        new io.netty.handler.codec.mqtt.MqttProperties.UserProperty(u.name(), u.value())));
    return netty;
  }
}
