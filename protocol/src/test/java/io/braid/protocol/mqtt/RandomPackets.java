package io.braid.protocol.mqtt;

import io.braid.protocol.mqtt.MqttProperty.Context;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Valid packets of every type, drawn from a seed: fields, options and properties as each version allows. */
final class RandomPackets {
  private static final int[] CONNACK_V3 = {0, 1, 2, 3, 4, 5};
  private static final int[] CONNACK_V5 = {0, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C,
      0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F};

  private final Random random;
  private final MqttVersion version;
  private final boolean meaningful;

  RandomPackets(long seed, MqttVersion version) {
    this(seed, version, false);
  }

  /**
   * @param meaningful also what a broker checks beyond the wire format: topic names without wildcards, CONNACK codes
   *     that exist (Netty's decoder checks these)
   */
  RandomPackets(long seed, MqttVersion version, boolean meaningful) {
    this.random = new Random(seed);
    this.version = version;
    this.meaningful = meaningful;
  }

  /** A packet a client sends (not CONNECT, which {@link #connect()} makes). */
  MqttPacket fromClient() {
    return switch (random.nextInt(version == MqttVersion.V5 ? 8 : 7)) {
      case 0 -> publish();
      case 1 -> ack();
      case 2 -> subscribe();
      case 3 -> new MqttPacket.Unsubscribe(id(), strings(1 + random.nextInt(3)), props(Context.UNSUBSCRIBE));
      case 4 -> new MqttPacket.PingReq();
      case 5 -> new MqttPacket.Disconnect(code(MqttPacketType.DISCONNECT), props(Context.DISCONNECT));
      case 6 -> publish();
      default -> new MqttPacket.Auth(code(MqttPacketType.AUTH), props(Context.AUTH));
    };
  }

  /** A packet a server sends. */
  MqttPacket fromServer() {
    return switch (random.nextInt(7)) {
      case 0 -> publish();
      case 1 -> ack();
      case 2 -> new MqttPacket.ConnAck(random.nextBoolean(), connAckCode(), props(Context.CONNACK));
      case 3 -> new MqttPacket.SubAck(id(), codes(MqttPacketType.SUBACK, 1 + random.nextInt(4)), props(Context.SUBACK));
      case 4 -> new MqttPacket.UnsubAck(id(), version == MqttVersion.V5 ? codes(MqttPacketType.UNSUBACK, 1 + random.nextInt(3))
          : List.of(), props(Context.UNSUBACK));
      case 5 -> new MqttPacket.PingResp();
      default -> new MqttPacket.Disconnect(code(MqttPacketType.DISCONNECT), props(Context.DISCONNECT));
    };
  }

  MqttPacket.Connect connect() {
    boolean user = random.nextBoolean();
    // MQTT 5 allows a password without a user name; Netty's encoder does not, so meaningful packets keep to 3.1.1's rule
    boolean password = version == MqttVersion.V5 && !meaningful ? random.nextBoolean() : user && random.nextBoolean();
    MqttPacket.Will will = random.nextBoolean() ? null
        : new MqttPacket.Will(string(), shortBytes(), random.nextInt(3), random.nextBoolean(), props(Context.WILL));
    return new MqttPacket.Connect(version, random.nextInt(4) == 0 ? "" : string(), random.nextBoolean(),
        random.nextInt(65_536), user ? string() : null, password ? shortBytes() : null, will, props(Context.CONNECT));
  }

  private MqttPacket.Publish publish() {
    int qos = random.nextInt(3);
    return new MqttPacket.Publish(meaningful ? topicName() : string(), qos, random.nextBoolean(), qos > 0 && random.nextBoolean(),
        qos > 0 ? id() : 0, bytes(), props(Context.PUBLISH));
  }

  private MqttPacket.Ack ack() {
    MqttPacketType[] types = {MqttPacketType.PUBACK, MqttPacketType.PUBREC, MqttPacketType.PUBREL, MqttPacketType.PUBCOMP};
    MqttPacketType type = types[random.nextInt(4)];
    return new MqttPacket.Ack(type, id(), code(type), props(Context.ACK));
  }

  private MqttPacket.Subscribe subscribe() {
    List<MqttPacket.Subscription> subs = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      subs.add(version == MqttVersion.V5
          ? new MqttPacket.Subscription(string(), random.nextInt(3), random.nextBoolean(), random.nextBoolean(), random.nextInt(3))
          : MqttPacket.Subscription.of(string(), random.nextInt(3)));
    }
    MqttProperties.Builder props = MqttProperties.builder();
    if (version == MqttVersion.V5 && random.nextBoolean()) {
      props.put(MqttProperty.SUBSCRIPTION_IDENTIFIER, 1 + random.nextInt(268_435_455));
    }
    if (version == MqttVersion.V5 && random.nextBoolean()) {
      props.user(string(), string());
    }
    return new MqttPacket.Subscribe(id(), subs, props.build());
  }

  /** Reason codes each packet type defines (MQTT 5 §2.4), for meaningful packets. */
  private static final java.util.Map<MqttPacketType, int[]> DEFINED = java.util.Map.of(
      MqttPacketType.PUBACK, new int[] {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99},
      MqttPacketType.PUBREC, new int[] {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99},
      MqttPacketType.PUBREL, new int[] {0x00, 0x92},
      MqttPacketType.PUBCOMP, new int[] {0x00, 0x92},
      MqttPacketType.DISCONNECT, new int[] {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x93, 0x95,
          0x97, 0x98, 0x9C, 0x9D, 0xA2},
      MqttPacketType.AUTH, new int[] {0x00, 0x18, 0x19},
      MqttPacketType.SUBACK, new int[] {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2},
      MqttPacketType.UNSUBACK, new int[] {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91});

  private int code(MqttPacketType type) {
    if (!meaningful) {
      return code();
    }
    if (version != MqttVersion.V5) {
      return type == MqttPacketType.SUBACK ? new int[] {0, 1, 2, 0x80}[random.nextInt(4)] : 0;
    }
    int[] codes = DEFINED.get(type);
    return random.nextBoolean() ? 0 : codes[random.nextInt(codes.length)];
  }

  private int connAckCode() {
    if (!meaningful) {
      return random.nextInt(256);
    }
    int[] codes = version == MqttVersion.V5 ? CONNACK_V5 : CONNACK_V3;
    return codes[random.nextInt(codes.length)];
  }

  private String topicName() {
    String name = string().replace("+", "p").replace("#", "h");
    return name.isEmpty() ? "t" : name;
  }

  private int id() {
    return 1 + random.nextInt(65_535);
  }

  private int code() {
    return version == MqttVersion.V5 && random.nextBoolean() ? random.nextInt(256) : 0;
  }

  private List<Integer> codes(MqttPacketType type, int n) {
    List<Integer> codes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      codes.add(meaningful ? code(type) : random.nextInt(256));
    }
    return codes;
  }

  private String string() {
    String alphabet = "ab/+#é✓😀 _-Z9";
    StringBuilder sb = new StringBuilder();
    for (int i = 0, n = random.nextInt(12); i < n; i++) {
      sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
    }
    return sb.toString();
  }

  private List<String> strings(int n) {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      strings.add(string());
    }
    return strings;
  }

  /** Binary Data: at most 65,535 bytes. */
  private Buffer shortBytes() {
    byte[] b = new byte[random.nextInt(40)];
    random.nextBytes(b);
    return Buffer.buffer(b);
  }

  private Buffer bytes() {
    byte[] b = new byte[random.nextInt(random.nextInt(10) == 0 ? 70_000 : 40)];
    random.nextBytes(b);
    return Buffer.buffer(b);
  }

  /** Properties valid in {@code context}: a random subset, each with a valid value. */
  private MqttProperties props(Context context) {
    MqttProperties.Builder builder = MqttProperties.builder();
    if (version != MqttVersion.V5) {
      return builder.build();
    }
    for (MqttProperty p : MqttProperty.values()) {
      if (!p.allowedIn(context) || random.nextInt(4) != 0) {
        continue;
      }
      int repeats = p.repeatable(context) ? 1 + random.nextInt(3) : 1;
      for (int i = 0; i < repeats; i++) {
        builder.put(p, value(p));
      }
    }
    if (builder.has(MqttProperty.AUTHENTICATION_DATA) && !builder.has(MqttProperty.AUTHENTICATION_METHOD)) {
      builder.put(MqttProperty.AUTHENTICATION_METHOD, "SCRAM-SHA-1"); // data without a method is a protocol error
    }
    return builder.build();
  }

  private Object value(MqttProperty p) {
    return switch (p.type()) {
      case BYTE -> random.nextInt(2);
      case TWO_BYTE -> 1 + random.nextInt(65_535);
      case FOUR_BYTE -> 1 + random.nextInt(Integer.MAX_VALUE - 1);
      case VAR_INT -> 1 + random.nextInt(268_435_455);
      case UTF8 -> string();
      case BINARY -> Buffer.buffer(string());
      case UTF8_PAIR -> new MqttProperties.UserProperty(string(), string());
    };
  }
}
