package io.braid.pubsub.broker;

/**
 * The outcome of an inbound PUBLISH or PUBREL, as the MQTT 5 reason code its acknowledgement carries
 * (MQTT 5.0 §3.4.2.1, §3.5.2.1, §3.7.2.1).
 */
public enum AckReason {
  /** Accepted, and durable if it had to be (at QoS 1: or already acknowledged by every subscriber it was kept for). */
  SUCCESS(0x00),
  /** Accepted, but no subscription matched (MQTT 5 lets the server say so). */
  NO_MATCHING_SUBSCRIBERS(0x10),
  /** The broker could not make the message durable (e.g. disk full); the publisher should retry later. */
  UNSPECIFIED_ERROR(0x80),
  /** PUBREL for a packet identifier the broker does not hold. */
  PACKET_IDENTIFIER_NOT_FOUND(0x92);

  private final int code;

  AckReason(int code) {
    this.code = code;
  }

  /** The MQTT 5 reason code. */
  public int code() {
    return code;
  }

  /** True for reason codes 0x80 and up. */
  public boolean isFailure() {
    return code >= 0x80;
  }
}
