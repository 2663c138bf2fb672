package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;

/** The invariants the records check, each failing with "FIELD: rule" in an IllegalArgumentException. */
final class Checks {
  private Checks() {}

  static IllegalArgumentException invalid(String field, String rule) {
    return new IllegalArgumentException(field + ": " + rule);
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new NullPointerException(field + ": required");
    }
    return value;
  }

  static int qos(String field, int qos) {
    if (qos < 0 || qos > 2) {
      throw invalid(field, "must be 0, 1 or 2, was " + qos);
    }
    return qos;
  }

  /** A packet id is 1..65535 when QoS > 0, and 0 (none) at QoS 0. */
  static int packetId(String field, int qos, int packetId) {
    if (qos == 0 ? packetId != 0 : packetId < 1 || packetId > BraidMessage.MAX_PACKET_ID) {
      throw invalid(field, qos == 0
          ? "must be 0 (none) at QoS 0, was " + packetId
          : "must be 1..65535 at QoS " + qos + ", was " + packetId);
    }
    return packetId;
  }

  static int packetId(String field, int packetId) {
    if (packetId < 1 || packetId > BraidMessage.MAX_PACKET_ID) {
      throw invalid(field, "must be 1..65535, was " + packetId);
    }
    return packetId;
  }

  static int u16(String field, int value) {
    if (value < 0 || value > 0xFFFF) {
      throw invalid(field, "must be 0..65535, was " + value);
    }
    return value;
  }

  static int optionalU16(String field, int value) {
    return value == BraidMessage.ABSENT ? value : u16(field, value);
  }

  static long u32(String field, long value) {
    if (value < 0 || value > BraidMessage.MAX_U32) {
      throw invalid(field, "must be 0..4294967295, was " + value);
    }
    return value;
  }

  static long optionalU32(String field, long value) {
    return value == BraidMessage.ABSENT ? value : u32(field, value);
  }

  static int payloadFormat(String field, int value) {
    if (value != 0 && value != 1) {
      throw invalid(field, "must be 0 (bytes) or 1 (UTF-8), was " + value);
    }
    return value;
  }

  static int subscriptionIdentifier(String field, int value) {
    if (value < 1 || value > BraidMessage.MAX_SUBSCRIPTION_IDENTIFIER) {
      throw invalid(field, "must be 1..268435455, was " + value);
    }
    return value;
  }

  static List<UserProperty> userProperties(String field, List<UserProperty> properties) {
    return List.copyOf(required(field, properties));
  }

  /** Authentication data only comes with an authentication method (MQTT 5 §3.1.2.11.10). */
  static void authData(String field, String authMethod, Buffer authData) {
    if (authData != null && authMethod == null) {
      throw invalid(field, "requires authMethod");
    }
  }

  static void notNull(String field, Object value) {
    Objects.requireNonNull(value, field);
  }
}
