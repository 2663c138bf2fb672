package io.braid.server.frontend;

import io.braid.protocol.message.ReasonCode;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.pubsub.broker.SessionHandle;

/** How a connection ends, whatever the wire protocol: the client's DISCONNECT, and the broker's causes. */
public final class Disconnects {

  /** The client's DISCONNECT broke a rule: answered with {@code reasonCode}. */
  public record Violation(int reasonCode, String reason) {
  }

  private Disconnects() {
  }

  /**
   * The client sent DISCONNECT with {@code reasonCode} and, unless {@code newExpiry} is negative, a new session
   * expiry: ends the session's connection as MQTT says (0x00 discards the will), or returns the rule it broke.
   *
   * @param requestedExpiry the session expiry the client asked for at CONNECT
   * @param maxExpiry the longest session expiry the broker grants
   */
  public static Violation clientDisconnect(SessionHandle session, int reasonCode, long newExpiry,
      long requestedExpiry, long maxExpiry) {
    if (newExpiry >= 0 && requestedExpiry == 0 && newExpiry > 0) {
      return new Violation(ReasonCode.PROTOCOL_ERROR, "session expiry cannot change from 0 [MQTT-3.14.2-2]");
    }
    long expiry = newExpiry < 0 ? -1 : Math.min(newExpiry, maxExpiry);
    session.disconnect(reasonCode != ReasonCode.NORMAL_DISCONNECTION, expiry);
    return null;
  }

  /** What a client is told when the broker ends its connection for {@code cause}. */
  public static String reason(DisconnectCause cause) {
    return switch (cause) {
      case SESSION_TAKEN_OVER -> "another connection took the session over";
      case ADMINISTRATIVE_ACTION -> "disconnected by an administrator";
      case SERVER_SHUTTING_DOWN -> "server shutting down";
      case QUOTA_EXCEEDED -> "the session's queue overflowed: the client does not keep up";
    };
  }
}
