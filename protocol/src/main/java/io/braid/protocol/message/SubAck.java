package io.braid.protocol.message;

import java.util.List;

/**
 * SUBACK: the server's answer to a {@link Subscribe}, on the subscription's stream (MQTT 5 §3.9).
 *
 * @param reasonCode the granted QoS (0x00, 0x01, 0x02) or a SUBACK error code
 * @param reasonString a human readable reason, or null
 * @param userProperties user properties, in order
 * @param recovery for a subscription that started in history: how its recovery went; else null
 */
public record SubAck(int reasonCode, String reasonString, List<UserProperty> userProperties, RecoveryReport recovery)
    implements BraidMessage {

  public SubAck {
    ReasonCode.check(MessageType.SUBACK, reasonCode);
    userProperties = Checks.userProperties("SUBACK.userProperties", userProperties);
    if (recovery != null && reasonCode > 2) {
      throw Checks.invalid("SUBACK.recovery", "only with a granted QoS, not with error " + ReasonCode.hex(reasonCode));
    }
  }

  /** A SUBACK with no recovery report. */
  public SubAck(int reasonCode, String reasonString, List<UserProperty> userProperties) {
    this(reasonCode, reasonString, userProperties, null);
  }

  /** A SUBACK with only a reason code. */
  public static SubAck of(int reasonCode) {
    return new SubAck(reasonCode, null, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.SUBACK;
  }

  @Override
  public String toString() {
    return "SubAck[reasonCode=" + ReasonCode.hex(reasonCode) + ", reasonString=" + reasonString
        + ", userProperties=" + userProperties + ", recovery=" + recovery + "]";
  }
}
