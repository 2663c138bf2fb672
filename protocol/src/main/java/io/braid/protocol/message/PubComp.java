package io.braid.protocol.message;

import java.util.List;

/**
 * PUBCOMP: the last answer of the QoS 2 flow, to a {@link PubRel} (MQTT 5 §3.7). It travels on the stream of the PUBLISH it answers.
 *
 * @param packetId the packet id of the PUBLISH, 1..65535
 * @param reasonCode 0x00 or 0x92 (packet identifier not found)
 * @param reasonString a human readable reason, or null
 * @param userProperties user properties, in order
 */
public record PubComp(int packetId, int reasonCode, String reasonString, List<UserProperty> userProperties)
    implements PublishAck {

  public PubComp {
    Checks.packetId("PUBCOMP.packetId", packetId);
    ReasonCode.check(MessageType.PUBCOMP, reasonCode);
    userProperties = Checks.userProperties("PUBCOMP.userProperties", userProperties);
  }

  /** A successful PUBCOMP. */
  public static PubComp of(int packetId) {
    return new PubComp(packetId, ReasonCode.SUCCESS, null, List.of());
  }

  /** A PUBCOMP with a reason code. */
  public static PubComp of(int packetId, int reasonCode) {
    return new PubComp(packetId, reasonCode, null, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.PUBCOMP;
  }

  @Override
  public String toString() {
    return "PubComp[packetId=" + packetId + ", reasonCode=" + ReasonCode.hex(reasonCode) + ", reasonString="
        + reasonString + ", userProperties=" + userProperties + "]";
  }
}
