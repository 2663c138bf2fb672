package io.braid.bench.jmh;

import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.JsonMessageCodec;
import io.braid.protocol.message.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encode and decode of one PUBLISH (QoS 1, 100-byte payload, 3-level topic): Braid's binary and
 * JSON message codecs against Netty's MQTT codec ({@code netty-codec-mqtt}, the Netty version
 * Vert.x uses) on the equivalent MQTT 5 PUBLISH, in the same run.
 *
 * <p>Netty's codec is a pair of channel handlers, so it is driven the way it is used: through an
 * {@link EmbeddedChannel} whose MQTT version attribute is set to 5, as the decoder sets it on a
 * CONNECT. That adds a pipeline traversal per message to Netty's side, which is part of its cost
 * in a real server. Every encoded buffer and decoded message is released.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PublishCodecBenchmark {
  static final String TOPIC = "home/kitchen/temp";
  static final int PACKET_ID = 42;

  private Publish braidPublish;
  private Buffer braidBinary;
  private Buffer braidJson;
  private EmbeddedChannel nettyEncoder;
  private EmbeddedChannel nettyDecoder;
  private ByteBuf nettyPayload;
  private ByteBuf nettyBytes;
  private io.braid.protocol.mqtt.MqttPacket.Publish braidMqttPublish;
  private io.braid.protocol.mqtt.MqttDecoder braidMqttDecoder;
  private Buffer mqttBytes;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] payload = new byte[100];
    Arrays.fill(payload, (byte) 'x');
    braidPublish = Publish.of(TOPIC, Buffer.buffer(payload), 1, PACKET_ID);
    braidBinary = BinaryMessageCodec.INSTANCE.encode(braidPublish);
    braidJson = JsonMessageCodec.INSTANCE.encode(braidPublish);

    nettyPayload = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(payload));
    nettyEncoder = mqtt5Channel(MqttEncoder.INSTANCE);
    nettyDecoder = mqtt5Channel(new MqttDecoder());
    nettyEncoder.writeOutbound(nettyPublish());
    ByteBuf encoded = nettyEncoder.readOutbound();
    nettyBytes = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(encoded));
    encoded.release();
    braidMqttPublish = new io.braid.protocol.mqtt.MqttPacket.Publish(TOPIC, 1, false, false, PACKET_ID,
        Buffer.buffer(payload), io.braid.protocol.mqtt.MqttProperties.NONE);
    braidMqttDecoder = io.braid.protocol.mqtt.MqttDecoder.forClient(io.braid.protocol.mqtt.MqttVersion.V5, 1 << 20);
    mqttBytes = Buffer.buffer(io.netty.buffer.ByteBufUtil.getBytes(nettyBytes));
    check();
  }

  private static EmbeddedChannel mqtt5Channel(io.netty.channel.ChannelHandler handler) {
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(MqttVersion.MQTT_5);
    return channel;
  }

  private MqttPublishMessage nettyPublish() {
    MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0);
    MqttPublishVariableHeader variable = new MqttPublishVariableHeader(TOPIC, PACKET_ID, MqttProperties.NO_PROPERTIES);
    return new MqttPublishMessage(fixed, variable, nettyPayload.duplicate());
  }

  /** Both sides must round-trip the same message, so that neither skips work. */
  private void check() {
    BraidMessage decoded = BinaryMessageCodec.INSTANCE.decode(braidBinary);
    if (!decoded.equals(braidPublish) || !JsonMessageCodec.INSTANCE.decode(braidJson).equals(braidPublish)) {
      throw new IllegalStateException("Braid codec does not round-trip");
    }
    nettyDecoder.writeInbound(nettyBytes.duplicate());
    MqttPublishMessage m = nettyDecoder.readInbound();
    if (m == null || !m.variableHeader().topicName().equals(TOPIC) || m.variableHeader().packetId() != PACKET_ID
        || m.payload().readableBytes() != 100 || m.fixedHeader().qosLevel() != MqttQoS.AT_LEAST_ONCE) {
      throw new IllegalStateException("Netty codec does not round-trip: " + m);
    }
    m.release();
    // Braid's MQTT codec writes Netty's bytes exactly, and reads them back as the same PUBLISH
    if (!io.braid.protocol.mqtt.MqttEncoder.encode(braidMqttPublish, io.braid.protocol.mqtt.MqttVersion.V5).equals(mqttBytes)) {
      throw new IllegalStateException("Braid's MQTT encoder differs from Netty's bytes");
    }
    java.util.List<Object> read = new java.util.ArrayList<>();
    braidMqttDecoder.decode(mqttBytes, read::add);
    if (!read.equals(java.util.List.of(braidMqttPublish))) {
      throw new IllegalStateException("Braid's MQTT decoder does not read Netty's bytes back: " + read);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    nettyEncoder.finishAndReleaseAll();
    nettyDecoder.finishAndReleaseAll();
  }

  @Benchmark
  public Buffer braidBinaryEncode() {
    return BinaryMessageCodec.INSTANCE.encode(braidPublish);
  }

  @Benchmark
  public BraidMessage braidBinaryDecode() {
    return BinaryMessageCodec.INSTANCE.decode(braidBinary);
  }

  @Benchmark
  public Buffer braidJsonEncode() {
    return JsonMessageCodec.INSTANCE.encode(braidPublish);
  }

  @Benchmark
  public BraidMessage braidJsonDecode() {
    return JsonMessageCodec.INSTANCE.decode(braidJson);
  }

  /** Braid's own MQTT codec (issue 15) on the same MQTT 5 PUBLISH as {@link #nettyMqttEncode}. */
  @Benchmark
  public Buffer braidMqttEncode() {
    return io.braid.protocol.mqtt.MqttEncoder.encode(braidMqttPublish, io.braid.protocol.mqtt.MqttVersion.V5);
  }

  /** Braid's own MQTT decoder on the bytes {@link #nettyMqttDecode} decodes. */
  @Benchmark
  public void braidMqttDecode(Blackhole bh) {
    braidMqttDecoder.decode(mqttBytes, bh::consume);
  }

  @Benchmark
  public void nettyMqttEncode(Blackhole bh) {
    nettyEncoder.writeOutbound(nettyPublish());
    ByteBuf encoded = nettyEncoder.readOutbound();
    bh.consume(encoded.readableBytes());
    encoded.release();
  }

  @Benchmark
  public void nettyMqttDecode(Blackhole bh) {
    nettyDecoder.writeInbound(nettyBytes.duplicate());
    MqttPublishMessage m = nettyDecoder.readInbound();
    bh.consume(m.variableHeader());
    bh.consume(m.payload());
    m.release();
  }
}
