package io.braid.server.auth;

/** The outcome of authenticating a client: a {@link Principal}, or a refusal with its CONNACK reason code. */
public sealed interface AuthResult {

  /** The client is who it says. */
  record Accepted(Principal principal) implements AuthResult {
  }

  /**
   * The client is refused.
   *
   * @param reasonCode the CONNACK reason code: 0x86 (bad user name or password, invalid or expired token) or 0x87
   *     (not authorized: no credentials where anonymous access is off)
   * @param reason why, for the client's reason string and the log; never contains a secret
   */
  record Refused(int reasonCode, String reason) implements AuthResult {
  }
}
