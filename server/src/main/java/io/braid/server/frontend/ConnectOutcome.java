package io.braid.server.frontend;

/** What became of a {@link ConnectAttempt}. */
public sealed interface ConnectOutcome {

  /**
   * Refused with an MQTT 5 CONNACK reason code; {@code internal} if the server failed rather than the client (the
   * WebSocket close code is then 1011, not 1008).
   */
  record Refused(int reasonCode, String reason, boolean internal) implements ConnectOutcome {
  }

  /**
   * Accepted and attached.
   *
   * @param sessionPresent an existing session was resumed
   * @param assignedClientId the server chose the client identifier
   * @param keepAliveChanged the keep-alive in force differs from the one asked for
   * @param sessionExpiryInterval the session expiry in force
   */
  record Accepted(ConnectedClient client, boolean sessionPresent, boolean assignedClientId, boolean keepAliveChanged,
      long sessionExpiryInterval) implements ConnectOutcome {
  }
}
