package io.braid.protocol.message;

import java.util.List;

/**
 * DISCONNECT: the last message of either side, on stream 0, before it closes the connection (MQTT 5
 * §3.14). From the client, reason 0x00 discards the will and 0x04 publishes it; from the server it
 * says why the connection ends.
 *
 * @param reasonCode 0x00 (normal disconnection) or a DISCONNECT reason code
 * @param sessionExpiryInterval a new session expiry in seconds (client only), or {@link
 *     BraidMessage#ABSENT}
 * @param reasonString a human readable reason, or null
 * @param serverReference another server to use (server only, with 0x9C / 0x9D), or null
 * @param userProperties user properties, in order
 */
public record Disconnect(
    int reasonCode,
    long sessionExpiryInterval,
    String reasonString,
    String serverReference,
    List<UserProperty> userProperties)
    implements BraidMessage {

  public Disconnect {
    ReasonCode.check(MessageType.DISCONNECT, reasonCode);
    Checks.optionalU32("DISCONNECT.sessionExpiryInterval", sessionExpiryInterval);
    userProperties = Checks.userProperties("DISCONNECT.userProperties", userProperties);
  }

  /** A DISCONNECT with only a reason code. */
  public static Disconnect of(int reasonCode) {
    return new Disconnect(reasonCode, BraidMessage.ABSENT, null, null, List.of());
  }

  /** A DISCONNECT with a reason code and a reason string. */
  public static Disconnect of(int reasonCode, String reasonString) {
    return new Disconnect(reasonCode, BraidMessage.ABSENT, reasonString, null, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.DISCONNECT;
  }

  @Override
  public String toString() {
    return "Disconnect[reasonCode=" + ReasonCode.hex(reasonCode) + ", sessionExpiryInterval="
        + sessionExpiryInterval + ", reasonString=" + reasonString + ", serverReference="
        + serverReference + ", userProperties=" + userProperties + "]";
  }
}
