package io.braid.protocol.mqtt;

/** The MQTT versions Braid speaks, by the protocol level their CONNECT carries. */
public enum MqttVersion {
  /** MQTT 3.1.1 (OASIS, 2014): protocol level 4, no properties, CONNACK return codes. */
  V3_1_1(4),
  /** MQTT 5.0 (OASIS, 2019): protocol level 5, properties and reason codes everywhere. */
  V5(5);

  private final int level;

  MqttVersion(int level) {
    this.level = level;
  }

  public int level() {
    return level;
  }

  /** The version of a CONNECT's protocol level, or null for one Braid does not speak (3 is MQTT 3.1). */
  public static MqttVersion ofLevel(int level) {
    return level == 4 ? V3_1_1 : level == 5 ? V5 : null;
  }
}
