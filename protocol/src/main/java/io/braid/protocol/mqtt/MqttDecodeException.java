package io.braid.protocol.mqtt;

import io.braid.protocol.message.ReasonCode;

/**
 * Input that breaks MQTT: the reason code to answer with (0x81 malformed, 0x82 protocol error, 0x95 packet too
 * large, 0x84 unsupported protocol version) and what was wrong. MQTT 5 answers with that code in a CONNACK (before
 * the connection is accepted) or a DISCONNECT; MQTT 3.1.1 closes the connection, but for an unsupported protocol
 * level, which gets CONNACK return code 0x01.
 */
public final class MqttDecodeException extends RuntimeException {
  private final int reasonCode;

  public MqttDecodeException(int reasonCode, String message) {
    super(message, null, false, false);
    this.reasonCode = reasonCode;
  }

  static MqttDecodeException malformed(String message) {
    return new MqttDecodeException(ReasonCode.MALFORMED_PACKET, message);
  }

  static MqttDecodeException protocolError(String message) {
    return new MqttDecodeException(ReasonCode.PROTOCOL_ERROR, message);
  }

  public int reasonCode() {
    return reasonCode;
  }
}
