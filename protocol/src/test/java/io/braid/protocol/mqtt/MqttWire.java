package io.braid.protocol.mqtt;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: hex, and decoding what a server or a client receives. */
final class MqttWire {
  static final int MAX_PACKET = 1 << 20;

  private MqttWire() {}

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  static String hex(Buffer b) {
    return HexFormat.ofDelimiter(" ").formatHex(b.getBytes());
  }

  /** What a server decodes from {@code pieces}, in order. */
  static List<MqttPacket> serverReads(Buffer... pieces) {
    MqttDecoder decoder = MqttDecoder.forServer(MAX_PACKET);
    List<MqttPacket> packets = new ArrayList<>();
    for (Buffer piece : pieces) {
      decoder.decode(piece, packets::add);
    }
    return packets;
  }

  /** What a client of {@code version} decodes from {@code pieces}. */
  static List<MqttPacket> clientReads(MqttVersion version, Buffer... pieces) {
    MqttDecoder decoder = MqttDecoder.forClient(version, MAX_PACKET);
    List<MqttPacket> packets = new ArrayList<>();
    for (Buffer piece : pieces) {
      decoder.decode(piece, packets::add);
    }
    return packets;
  }

  static MqttPacket.Connect connect(MqttVersion version) {
    return new MqttPacket.Connect(version, "c", true, 30, null, null, null, MqttProperties.NONE);
  }
}
