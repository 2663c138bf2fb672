package io.braid.pubsub.broker;

import io.braid.pubsub.message.Will;
import java.util.Objects;

/**
 * What a client asks for when it connects (the session-relevant part of MQTT 5 CONNECT, §3.1).
 *
 * @param clientId the client identifier (the server assigns one before calling the broker if the client sent none)
 * @param cleanStart true: discard any existing session and start a new one [MQTT-3.1.2-4]
 * @param sessionExpiryInterval seconds the session outlives the connection; 0 ends it with the connection,
 *     0xFFFFFFFF never expires
 * @param receiveMaximum the most QoS 1/2 messages the client will have in flight from the broker (1..65535)
 * @param will the will message, or null
 */
public record ConnectRequest(String clientId, boolean cleanStart, long sessionExpiryInterval, int receiveMaximum,
    Will will) {

  public ConnectRequest {
    Objects.requireNonNull(clientId, "clientId");
    if (sessionExpiryInterval < 0 || sessionExpiryInterval > Session.NEVER_EXPIRES) {
      throw new IllegalArgumentException("session expiry interval must be 0..2^32-1, was " + sessionExpiryInterval);
    }
    if (receiveMaximum < 1 || receiveMaximum > 65_535) {
      throw new IllegalArgumentException("receive maximum must be 1..65535 (MQTT 5.0 §3.1.2.11.3), was "
          + receiveMaximum);
    }
    if (will != null && !will.message().publisherId().equals(clientId)) {
      throw new IllegalArgumentException("the will's publisher id must be the client id " + clientId);
    }
  }

  /** A clean-start connection with no session expiry (the session ends with it), receive maximum 65,535, no will. */
  public static ConnectRequest clean(String clientId) {
    return new ConnectRequest(clientId, true, 0, 65_535, null);
  }

  /** A connection that resumes or creates a session lasting {@code sessionExpiryInterval} seconds after it. */
  public static ConnectRequest persistent(String clientId, long sessionExpiryInterval) {
    return new ConnectRequest(clientId, false, sessionExpiryInterval, 65_535, null);
  }

  public ConnectRequest withWill(Will will) {
    return new ConnectRequest(clientId, cleanStart, sessionExpiryInterval, receiveMaximum, will);
  }

  public ConnectRequest withReceiveMaximum(int receiveMaximum) {
    return new ConnectRequest(clientId, cleanStart, sessionExpiryInterval, receiveMaximum, will);
  }

  public ConnectRequest withCleanStart(boolean cleanStart) {
    return new ConnectRequest(clientId, cleanStart, sessionExpiryInterval, receiveMaximum, will);
  }
}
