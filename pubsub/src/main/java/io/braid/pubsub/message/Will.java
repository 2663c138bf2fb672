package io.braid.pubsub.message;

import java.util.Objects;

/**
 * A session's will (MQTT 5.0 §3.1.2.5, §3.1.3.2): a message the broker publishes when the network connection closes
 * without a normal DISCONNECT, or when the session ends, after the will delay.
 *
 * @param message the message to publish; its id and creation time are assigned when it is published
 * @param delayInterval the will delay interval in seconds (0 publishes at once); the will is published at the
 *     earlier of this delay and the end of the session [MQTT-3.1.3-9]
 */
public record Will(ApplicationMessage message, long delayInterval) {

  public Will {
    Objects.requireNonNull(message, "message");
    if (delayInterval < 0 || delayInterval > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("will delay interval must be 0..2^32-1 seconds, was " + delayInterval);
    }
  }
}
