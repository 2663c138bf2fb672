package io.braid.protocol.message;

import java.util.List;

/**
 * PUBACK: the answer to a QoS 1 PUBLISH (MQTT 5 §3.4). It travels on the stream of the PUBLISH it answers.
 *
 * @param packetId the packet id of the PUBLISH, 1..65535
 * @param reasonCode 0x00, 0x10 (no matching subscribers) or a PUBACK error code
 * @param reasonString a human readable reason, or null
 * @param userProperties user properties, in order
 */
public record PubAck(int packetId, int reasonCode, String reasonString, List<UserProperty> userProperties)
    implements PublishAck {

  public PubAck {
    Checks.packetId("PUBACK.packetId", packetId);
    ReasonCode.check(MessageType.PUBACK, reasonCode);
    userProperties = Checks.userProperties("PUBACK.userProperties", userProperties);
  }

  /** A successful PUBACK. */
  public static PubAck of(int packetId) {
    return new PubAck(packetId, ReasonCode.SUCCESS, null, List.of());
  }

  /** A PUBACK with a reason code. */
  public static PubAck of(int packetId, int reasonCode) {
    return new PubAck(packetId, reasonCode, null, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.PUBACK;
  }

  @Override
  public String toString() {
    return "PubAck[packetId=" + packetId + ", reasonCode=" + ReasonCode.hex(reasonCode) + ", reasonString="
        + reasonString + ", userProperties=" + userProperties + "]";
  }
}
