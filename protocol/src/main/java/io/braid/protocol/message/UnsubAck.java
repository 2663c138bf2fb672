package io.braid.protocol.message;

import java.util.List;

/**
 * UNSUBACK: the server's answer to an {@link Unsubscribe}, on the subscription's stream (MQTT 5
 * §3.11).
 *
 * @param reasonCode 0x00, 0x11 (no subscription existed) or an UNSUBACK error code
 * @param reasonString a human readable reason, or null
 * @param userProperties user properties, in order
 */
public record UnsubAck(int reasonCode, String reasonString, List<UserProperty> userProperties) implements BraidMessage {

  public UnsubAck {
    ReasonCode.check(MessageType.UNSUBACK, reasonCode);
    userProperties = Checks.userProperties("UNSUBACK.userProperties", userProperties);
  }

  /** An UNSUBACK with only a reason code. */
  public static UnsubAck of(int reasonCode) {
    return new UnsubAck(reasonCode, null, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.UNSUBACK;
  }

  @Override
  public String toString() {
    return "UnsubAck[reasonCode=" + ReasonCode.hex(reasonCode) + ", reasonString=" + reasonString
        + ", userProperties=" + userProperties + "]";
  }
}
