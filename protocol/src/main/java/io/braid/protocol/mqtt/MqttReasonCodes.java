package io.braid.protocol.mqtt;

/**
 * MQTT 3.1.1's CONNACK return codes (§3.2.2.3) and SUBACK failure (§3.9.3). MQTT 5's reason codes are Braid's own
 * ({@link io.braid.protocol.message.ReasonCode}): its messages carry MQTT 5's values.
 */
public final class MqttReasonCodes {
  public static final int V3_ACCEPTED = 0x00;
  public static final int V3_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
  public static final int V3_IDENTIFIER_REJECTED = 0x02;
  public static final int V3_SERVER_UNAVAILABLE = 0x03;
  public static final int V3_BAD_USER_NAME_OR_PASSWORD = 0x04;
  public static final int V3_NOT_AUTHORIZED = 0x05;
  public static final int V3_SUBACK_FAILURE = 0x80;

  private MqttReasonCodes() {}
}
