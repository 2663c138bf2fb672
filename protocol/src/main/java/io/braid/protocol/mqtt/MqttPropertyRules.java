package io.braid.protocol.mqtt;

/** The values a property may not take (§3.1.2.11, §3.2.2.3, §3.3.2.3): each a protocol error. */
final class MqttPropertyRules {
  private MqttPropertyRules() {}

  static void check(MqttProperty property, Object value) {
    switch (property) {
      case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION, MAXIMUM_QOS,
          RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE, SUBSCRIPTION_IDENTIFIER_AVAILABLE,
          SHARED_SUBSCRIPTION_AVAILABLE -> zeroOrOne(property, (Integer) value);
      case RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE, TOPIC_ALIAS, SUBSCRIPTION_IDENTIFIER -> nonZero(property, (Integer) value);
      default -> { }
    }
  }

  private static void zeroOrOne(MqttProperty property, int value) {
    if (value != 0 && value != 1) {
      throw MqttDecodeException.protocolError(property + " must be 0 or 1, was " + value);
    }
  }

  private static void nonZero(MqttProperty property, int value) {
    if (value == 0) {
      throw MqttDecodeException.protocolError(property + " must not be 0");
    }
  }
}
