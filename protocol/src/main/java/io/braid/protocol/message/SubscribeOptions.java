package io.braid.protocol.message;

/**
 * The options of a subscription (MQTT 5 §3.8.3.1).
 *
 * @param maxQos the highest QoS the server may deliver with, 0..2
 * @param noLocal do not deliver the client's own publications back to it
 * @param retainAsPublished keep the RETAIN flag of forwarded messages as published
 * @param retainHandling {@link #SEND_RETAINED}, {@link #SEND_RETAINED_IF_NEW} or {@link
 *     #DO_NOT_SEND_RETAINED}
 */
public record SubscribeOptions(int maxQos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
  /** Send retained messages when the subscription is made. */
  public static final int SEND_RETAINED = 0;
  /** Send retained messages only if the subscription did not exist yet. */
  public static final int SEND_RETAINED_IF_NEW = 1;
  /** Do not send retained messages. */
  public static final int DO_NOT_SEND_RETAINED = 2;

  public SubscribeOptions {
    Checks.qos("SUBSCRIBE.maxQos", maxQos);
    if (retainHandling < 0 || retainHandling > 2) {
      throw Checks.invalid("SUBSCRIBE.retainHandling", "must be 0, 1 or 2, was " + retainHandling);
    }
  }

  /** Up to {@code maxQos}, every other option at its default. */
  public static SubscribeOptions of(int maxQos) {
    return new SubscribeOptions(maxQos, false, false, SEND_RETAINED);
  }
}
