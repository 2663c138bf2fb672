package io.braid.protocol.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Encode, split anywhere, decode: every packet comes back equal. Random bytes only ever produce the codec's error. */
class MqttRoundTripPropertyTest {

  private static List<Buffer> splitRandomly(Buffer wire, Random random) {
    List<Buffer> pieces = new ArrayList<>();
    int at = 0;
    while (at < wire.length()) {
      int next = Math.min(wire.length(), at + 1 + random.nextInt(random.nextBoolean() ? 3 : 200));
      pieces.add(wire.slice(at, next));
      at = next;
    }
    return pieces;
  }

  @Property(tries = 400)
  void clientPacketsSurviveTheServersDecoder(@ForAll long seed, @ForAll boolean v5) {
    MqttVersion version = v5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    RandomPackets random = new RandomPackets(seed, version);
    List<MqttPacket> sent = new ArrayList<>();
    sent.add(random.connect());
    for (int i = 0; i < 8; i++) {
      sent.add(random.fromClient());
    }
    Buffer wire = Buffer.buffer();
    sent.forEach(p -> wire.appendBuffer(MqttEncoder.encode(p, version)));
    assertThat(MqttWire.serverReads(splitRandomly(wire, new Random(seed)).toArray(Buffer[]::new)))
        .containsExactlyElementsOf(sent);
  }

  @Property(tries = 400)
  void serverPacketsSurviveTheClientsDecoder(@ForAll long seed, @ForAll boolean v5) {
    MqttVersion version = v5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    RandomPackets random = new RandomPackets(seed, version);
    List<MqttPacket> sent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(random.fromServer());
    }
    Buffer wire = Buffer.buffer();
    sent.forEach(p -> wire.appendBuffer(MqttEncoder.encode(p, version)));
    assertThat(MqttWire.clientReads(version, splitRandomly(wire, new Random(seed)).toArray(Buffer[]::new)))
        .containsExactlyElementsOf(sent);
  }

  @Property(tries = 2_000)
  void randomBytesOnlyEverProduceTheCodecsOwnError(@ForAll @Size(max = 300) byte[] noise, @ForAll boolean afterConnect,
      @ForAll boolean v5) {
    MqttVersion version = v5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    MqttDecoder decoder = MqttDecoder.forServer(MqttWire.MAX_PACKET);
    if (afterConnect) {
      decoder.decode(MqttEncoder.encode(MqttWire.connect(version), version), p -> { });
    }
    Throwable thrown = catchThrowable(() -> decoder.decode(Buffer.buffer(noise), p -> { }));
    assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(MqttDecodeException.class));
  }

  @Property(tries = 2_000)
  void mutatedPacketsOnlyEverProduceTheCodecsOwnError(@ForAll long seed, @ForAll boolean v5) {
    MqttVersion version = v5 ? MqttVersion.V5 : MqttVersion.V3_1_1;
    RandomPackets packets = new RandomPackets(seed, version);
    Buffer wire = Buffer.buffer().appendBuffer(MqttEncoder.encode(packets.connect(), version))
        .appendBuffer(MqttEncoder.encode(packets.fromClient(), version));
    byte[] bytes = wire.getBytes();
    Random random = new Random(seed);
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    Throwable thrown = catchThrowable(() -> MqttWire.serverReads(Buffer.buffer(bytes)));
    assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(MqttDecodeException.class));
  }
}
