package io.braid.protocol.message;

import java.util.List;

/**
 * PUBREL: the publisher's answer to a {@link PubRec} (MQTT 5 §3.6). It travels on the stream of the PUBLISH it answers.
 *
 * @param packetId the packet id of the PUBLISH, 1..65535
 * @param reasonCode 0x00 or 0x92 (packet identifier not found)
 * @param reasonString a human readable reason, or null
 * @param userProperties user properties, in order
 */
public record PubRel(int packetId, int reasonCode, String reasonString, List<UserProperty> userProperties)
    implements PublishAck {

  public PubRel {
    Checks.packetId("PUBREL.packetId", packetId);
    ReasonCode.check(MessageType.PUBREL, reasonCode);
    userProperties = Checks.userProperties("PUBREL.userProperties", userProperties);
  }

  /** A successful PUBREL. */
  public static PubRel of(int packetId) {
    return new PubRel(packetId, ReasonCode.SUCCESS, null, List.of());
  }

  /** A PUBREL with a reason code. */
  public static PubRel of(int packetId, int reasonCode) {
    return new PubRel(packetId, reasonCode, null, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.PUBREL;
  }

  @Override
  public String toString() {
    return "PubRel[packetId=" + packetId + ", reasonCode=" + ReasonCode.hex(reasonCode) + ", reasonString="
        + reasonString + ", userProperties=" + userProperties + "]";
  }
}
