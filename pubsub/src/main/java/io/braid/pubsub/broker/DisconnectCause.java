package io.braid.pubsub.broker;

/** Why the broker closes a client's connection, as the MQTT 5 DISCONNECT reason code (MQTT 5.0 §3.14.2.1). */
public enum DisconnectCause {
  /** Another connection with the same client identifier took the session over [MQTT-3.1.4-3]. */
  SESSION_TAKEN_OVER(0x8E),
  /** The broker is shutting down. */
  SERVER_SHUTTING_DOWN(0x8B),
  /** An administrator disconnected the client. */
  ADMINISTRATIVE_ACTION(0x98),
  /** The session's queue overflowed under {@link QueueOverflowPolicy#DISCONNECT}. */
  QUOTA_EXCEEDED(0x97);

  private final int code;

  DisconnectCause(int code) {
    this.code = code;
  }

  /** The MQTT 5 reason code. */
  public int code() {
    return code;
  }
}
