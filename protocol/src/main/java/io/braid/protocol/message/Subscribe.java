package io.braid.protocol.message;

import java.util.List;

/**
 * SUBSCRIBE: the first message of a new client stream, which becomes the subscription's stream
 * (MQTT 5 §3.8, one topic filter per message). The server answers with a {@link SubAck} on that
 * stream, then delivers matching messages there as {@link Publish}es; an {@link Unsubscribe} on the
 * stream, or closing it, ends the subscription.
 *
 * @param topicFilter the topic filter (wildcards and {@code $share/} allowed; syntax checked by the
 *     broker, not the codec)
 * @param options the subscription options
 * @param subscriptionIdentifier 1..268435455, sent back on deliveries, or {@link
 *     BraidMessage#ABSENT}
 * @param userProperties user properties, in order
 * @param start where to start in the history of the matched topics ({@link SubscribeStart#NOW}: live only)
 * @param overflow what to do when the subscriber falls behind, or null for the server's default
 * @param maxQueued how many messages the subscription may queue (1..2^31-1, capped by the server), or {@link
 *     BraidMessage#ABSENT} for the server's limit
 */
public record Subscribe(
    String topicFilter,
    SubscribeOptions options,
    int subscriptionIdentifier,
    List<UserProperty> userProperties,
    SubscribeStart start,
    OverflowPolicy overflow,
    int maxQueued)
    implements BraidMessage {

  public Subscribe {
    Checks.required("SUBSCRIBE.topicFilter", topicFilter);
    Checks.required("SUBSCRIBE.options", options);
    if (subscriptionIdentifier != BraidMessage.ABSENT) {
      Checks.subscriptionIdentifier("SUBSCRIBE.subscriptionIdentifier", subscriptionIdentifier);
    }
    userProperties = Checks.userProperties("SUBSCRIBE.userProperties", userProperties);
    Checks.required("SUBSCRIBE.start", start);
    if (maxQueued != BraidMessage.ABSENT && maxQueued < 1) {
      throw Checks.invalid("SUBSCRIBE.maxQueued", "must be 1 or more, was " + maxQueued);
    }
  }

  /** A live subscription with the server's overflow policy and queue limit. */
  public Subscribe(String topicFilter, SubscribeOptions options, int subscriptionIdentifier,
      List<UserProperty> userProperties) {
    this(topicFilter, options, subscriptionIdentifier, userProperties, SubscribeStart.NOW, null, BraidMessage.ABSENT);
  }

  /** This subscription starting at {@code start}. */
  public Subscribe withStart(SubscribeStart start) {
    return new Subscribe(topicFilter, options, subscriptionIdentifier, userProperties, start, overflow, maxQueued);
  }

  /** This subscription with {@code overflow} and {@code maxQueued} ({@link BraidMessage#ABSENT}: the server's). */
  public Subscribe withOverflow(OverflowPolicy overflow, int maxQueued) {
    return new Subscribe(topicFilter, options, subscriptionIdentifier, userProperties, start, overflow, maxQueued);
  }

  /** A subscription to {@code topicFilter} up to {@code maxQos}, every option at its default. */
  public static Subscribe of(String topicFilter, int maxQos) {
    return new Subscribe(topicFilter, SubscribeOptions.of(maxQos), BraidMessage.ABSENT, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.SUBSCRIBE;
  }
}
