package io.braid.pubsub.subscription;

/**
 * The options of one subscription (MQTT 5.0 §3.8.3.1 Subscription Options, §3.3.2.3.8 Subscription Identifier).
 *
 * <p>Immutable; safe for any thread. The constructor rejects values the protocol forbids, naming the rule.
 *
 * @param maxQos the maximum QoS the subscriber accepts (0, 1 or 2); messages are downgraded to it
 * @param noLocal true: messages published by this session are not forwarded to it [MQTT-3.8.3-3]
 * @param retainAsPublished true: forwarded messages keep the RETAIN flag they were published with [MQTT-3.3.1-12];
 *     false: the RETAIN flag is cleared on forwarding [MQTT-3.3.1-13]
 * @param retainHandling when retained messages are sent on subscribe: {@link #SEND_ON_SUBSCRIBE},
 *     {@link #SEND_IF_NEW_SUBSCRIPTION} or {@link #DO_NOT_SEND}
 * @param subscriptionIdentifier 0 for none, else 1..268,435,455, echoed in every matching PUBLISH [MQTT-3.3.4-3]
 */
public record SubscriptionOptions(
    int maxQos, boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionIdentifier) {

  /** Retain handling 0: send retained messages at the time of the subscribe. */
  public static final int SEND_ON_SUBSCRIBE = 0;
  /** Retain handling 1: send retained messages at subscribe only if the subscription does not currently exist. */
  public static final int SEND_IF_NEW_SUBSCRIPTION = 1;
  /** Retain handling 2: do not send retained messages at the time of the subscribe. */
  public static final int DO_NOT_SEND = 2;
  /** The value meaning "no subscription identifier". */
  public static final int NO_SUBSCRIPTION_IDENTIFIER = 0;
  /** The largest subscription identifier, the largest Variable Byte Integer (MQTT 5.0 §1.5.5). */
  public static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

  public SubscriptionOptions {
    checkQos(maxQos, "maximum QoS");
    // MQTT 5.0 §3.8.3.1: it is a Protocol Error to send a Retain Handling value of 3
    if (retainHandling < SEND_ON_SUBSCRIBE || retainHandling > DO_NOT_SEND) {
      throw new IllegalArgumentException("retain handling must be 0, 1 or 2 (MQTT 5.0 §3.8.3.1), was " + retainHandling);
    }
    // MQTT 5.0 §3.8.2.1.2: 1 to 268,435,455; it is a Protocol Error if the Subscription Identifier has a value of 0
    if (subscriptionIdentifier < NO_SUBSCRIPTION_IDENTIFIER || subscriptionIdentifier > MAX_SUBSCRIPTION_IDENTIFIER) {
      throw new IllegalArgumentException("subscription identifier must be 1..268,435,455 or 0 for none "
          + "(MQTT 5.0 §3.8.2.1.2), was " + subscriptionIdentifier);
    }
  }

  /** Options with {@code maxQos}, local delivery, the RETAIN flag cleared, retain handling 0 and no identifier. */
  public static SubscriptionOptions ofMaxQos(int maxQos) {
    return new SubscriptionOptions(maxQos, false, false, SEND_ON_SUBSCRIBE, NO_SUBSCRIPTION_IDENTIFIER);
  }

  public SubscriptionOptions withNoLocal(boolean noLocal) {
    return new SubscriptionOptions(maxQos, noLocal, retainAsPublished, retainHandling, subscriptionIdentifier);
  }

  public SubscriptionOptions withRetainAsPublished(boolean retainAsPublished) {
    return new SubscriptionOptions(maxQos, noLocal, retainAsPublished, retainHandling, subscriptionIdentifier);
  }

  public SubscriptionOptions withRetainHandling(int retainHandling) {
    return new SubscriptionOptions(maxQos, noLocal, retainAsPublished, retainHandling, subscriptionIdentifier);
  }

  public SubscriptionOptions withSubscriptionIdentifier(int subscriptionIdentifier) {
    return new SubscriptionOptions(maxQos, noLocal, retainAsPublished, retainHandling, subscriptionIdentifier);
  }

  /** True unless the identifier is {@link #NO_SUBSCRIPTION_IDENTIFIER}. */
  public boolean hasSubscriptionIdentifier() {
    return subscriptionIdentifier != NO_SUBSCRIPTION_IDENTIFIER;
  }

  /** The QoS a message published at {@code publishQos} is delivered with: the minimum of the two (MQTT 5.0 §3.8.4). */
  public int grantedQos(int publishQos) {
    return Math.min(publishQos, maxQos);
  }

  static void checkQos(int qos, String what) {
    // [MQTT-3.3.1-4] A PUBLISH Packet MUST NOT have both QoS bits set to 1; likewise the Maximum QoS (§3.8.3.1)
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException(what + " must be 0, 1 or 2 [MQTT-3.3.1-4], was " + qos);
    }
  }
}
