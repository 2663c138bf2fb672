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
 */
public record Subscribe(
    String topicFilter,
    SubscribeOptions options,
    int subscriptionIdentifier,
    List<UserProperty> userProperties)
    implements BraidMessage {

  public Subscribe {
    Checks.required("SUBSCRIBE.topicFilter", topicFilter);
    Checks.required("SUBSCRIBE.options", options);
    if (subscriptionIdentifier != BraidMessage.ABSENT) {
      Checks.subscriptionIdentifier("SUBSCRIBE.subscriptionIdentifier", subscriptionIdentifier);
    }
    userProperties = Checks.userProperties("SUBSCRIBE.userProperties", userProperties);
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
