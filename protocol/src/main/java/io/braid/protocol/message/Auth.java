package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * AUTH: one step of an enhanced authentication exchange or a re-authentication, on stream 0 (MQTT 5
 * §3.15, §4.12). The client starts a re-authentication with reason 0x19; either side continues with
 * 0x18; the server ends a successful exchange with 0x00 (and a failed one with a DISCONNECT).
 *
 * @param reasonCode 0x00 (success), 0x18 (continue authentication) or 0x19 (re-authenticate)
 * @param authMethod the authentication method, the same as in CONNECT
 * @param authData method-specific data, or null
 * @param reasonString a human readable reason, or null
 * @param userProperties user properties, in order
 */
public record Auth(
    int reasonCode,
    String authMethod,
    Buffer authData,
    String reasonString,
    List<UserProperty> userProperties)
    implements BraidMessage {

  public Auth {
    ReasonCode.check(MessageType.AUTH, reasonCode);
    Checks.required("AUTH.authMethod", authMethod);
    userProperties = Checks.userProperties("AUTH.userProperties", userProperties);
  }

  /** An AUTH step with a reason code, a method and its data. */
  public static Auth of(int reasonCode, String authMethod, Buffer authData) {
    return new Auth(reasonCode, authMethod, authData, null, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.AUTH;
  }

  @Override
  public String toString() {
    return "Auth[reasonCode=" + ReasonCode.hex(reasonCode) + ", authMethod=" + authMethod
        + ", authData=" + Describe.secret(authData) + ", reasonString=" + reasonString
        + ", userProperties=" + userProperties + "]";
  }
}
