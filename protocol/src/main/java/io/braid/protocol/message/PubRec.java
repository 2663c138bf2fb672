package io.braid.protocol.message;

import java.util.List;

/**
 * PUBREC: the first answer to a QoS 2 PUBLISH (MQTT 5 §3.5); an error code ends the flow. It travels on the stream of the PUBLISH it answers.
 *
 * @param packetId the packet id of the PUBLISH, 1..65535
 * @param reasonCode 0x00, 0x10 (no matching subscribers) or a PUBREC error code
 * @param reasonString a human readable reason, or null
 * @param userProperties user properties, in order
 */
public record PubRec(int packetId, int reasonCode, String reasonString, List<UserProperty> userProperties)
    implements PublishAck {

  public PubRec {
    Checks.packetId("PUBREC.packetId", packetId);
    ReasonCode.check(MessageType.PUBREC, reasonCode);
    userProperties = Checks.userProperties("PUBREC.userProperties", userProperties);
  }

  /** A successful PUBREC. */
  public static PubRec of(int packetId) {
    return new PubRec(packetId, ReasonCode.SUCCESS, null, List.of());
  }

  /** A PUBREC with a reason code. */
  public static PubRec of(int packetId, int reasonCode) {
    return new PubRec(packetId, reasonCode, null, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.PUBREC;
  }

  @Override
  public String toString() {
    return "PubRec[packetId=" + packetId + ", reasonCode=" + ReasonCode.hex(reasonCode) + ", reasonString="
        + reasonString + ", userProperties=" + userProperties + "]";
  }
}
