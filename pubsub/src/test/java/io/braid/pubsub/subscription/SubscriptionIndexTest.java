package io.braid.pubsub.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing of non-shared subscriptions; test names are the rules, with their MQTT 5 ids. */
class SubscriptionIndexTest {

  private final SubscriptionIndex index = new SubscriptionIndex();

  @Test
  void overlappingSubscriptionsOfOneSessionDeliverOneCopyAtTheHighestQosWithAllIdentifiers_MQTT_3_3_4_2_and_3() {
    subscribe("c1", "sport/tennis/+", SubscriptionOptions.ofMaxQos(0).withSubscriptionIdentifier(7));
    subscribe("c1", "sport/#", SubscriptionOptions.ofMaxQos(2).withSubscriptionIdentifier(3));
    subscribe("c1", "sport/tennis/player1", SubscriptionOptions.ofMaxQos(1));

    RouteResult result = route("sport/tennis/player1", "publisher", 2);

    assertThat(result.deliveries())
        .containsExactly(new Delivery("c1", TopicFilter.parse("sport/#"), 2, false, List.of(3, 7)));
    assertThat(result.unavailableSharedGroups()).isZero();
  }

  @Test
  void deliveredQosIsTheMinimumOfPublishedQosAndMaximumQos_MQTT_3_8_4() {
    subscribe("low", "a/b", SubscriptionOptions.ofMaxQos(0));
    subscribe("mid", "a/b", SubscriptionOptions.ofMaxQos(1));
    subscribe("high", "a/b", SubscriptionOptions.ofMaxQos(2));

    assertThat(route("a/b", "p", 2).deliveries()).extracting(Delivery::clientId, Delivery::grantedQos)
        .containsExactlyInAnyOrder(tuple("low", 0), tuple("mid", 1), tuple("high", 2));
    assertThat(route("a/b", "p", 1).deliveries()).extracting(Delivery::clientId, Delivery::grantedQos)
        .containsExactlyInAnyOrder(tuple("low", 0), tuple("mid", 1), tuple("high", 1));
  }

  @Test
  void noLocalMessagesAreNotForwardedToThePublishingSession_MQTT_3_8_3_3() {
    subscribe("c1", "a/b", SubscriptionOptions.ofMaxQos(1).withNoLocal(true));
    subscribe("c2", "a/b", SubscriptionOptions.ofMaxQos(1).withNoLocal(true));

    assertThat(route("a/b", "c1", 1).deliveries()).extracting(Delivery::clientId).containsExactly("c2");
  }

  @Test
  void noLocalSuppressesOnlyItsOwnSubscriptionNotAnOverlappingLocalOne_MQTT_3_8_3_3() {
    subscribe("c1", "a/b", SubscriptionOptions.ofMaxQos(2).withNoLocal(true).withSubscriptionIdentifier(1));
    subscribe("c1", "a/+", SubscriptionOptions.ofMaxQos(1).withSubscriptionIdentifier(2));

    assertThat(route("a/b", "c1", 2).deliveries())
        .containsExactly(new Delivery("c1", TopicFilter.parse("a/+"), 1, false, List.of(2)));
  }

  @Test
  void retainAsPublishedIsKeptWhenAnyMatchingSubscriptionAsksForIt_MQTT_3_3_1_12() {
    subscribe("c1", "a/b", SubscriptionOptions.ofMaxQos(1));
    subscribe("c1", "a/#", SubscriptionOptions.ofMaxQos(1).withRetainAsPublished(true));
    subscribe("c2", "a/b", SubscriptionOptions.ofMaxQos(1));

    assertThat(route("a/b", "p", 1).deliveries()).extracting(Delivery::clientId, Delivery::retainAsPublished)
        .containsExactlyInAnyOrder(tuple("c1", true), tuple("c2", false));
  }

  @Test
  void subscribingAgainWithTheSameFilterReplacesTheOptions_MQTT_3_8_4_3() {
    assertThat(subscribe("c1", "a/b", SubscriptionOptions.ofMaxQos(0).withSubscriptionIdentifier(1))).isTrue();
    assertThat(subscribe("c1", "a/b", SubscriptionOptions.ofMaxQos(2).withSubscriptionIdentifier(2))).isFalse();

    assertThat(route("a/b", "p", 2).deliveries())
        .containsExactly(new Delivery("c1", TopicFilter.parse("a/b"), 2, false, List.of(2)));
    assertThat(index.subscriptions("c1")).containsExactly(new Subscription("c1", TopicFilter.parse("a/b"),
        SubscriptionOptions.ofMaxQos(2).withSubscriptionIdentifier(2)));
  }

  @Test
  void unsubscribeRemovesOnlyThatFilterOfThatSession_MQTT_3_10_4() {
    subscribe("c1", "a/b", SubscriptionOptions.ofMaxQos(1));
    subscribe("c1", "a/+", SubscriptionOptions.ofMaxQos(0));
    subscribe("c2", "a/b", SubscriptionOptions.ofMaxQos(1));

    assertThat(index.unsubscribe("c1", TopicFilter.parse("a/b"))).isTrue();
    assertThat(index.unsubscribe("c1", TopicFilter.parse("a/b"))).isFalse();
    assertThat(index.unsubscribe("c3", TopicFilter.parse("a/b"))).isFalse();

    assertThat(route("a/b", "p", 1).deliveries()).extracting(Delivery::clientId, Delivery::grantedQos)
        .containsExactlyInAnyOrder(tuple("c1", 0), tuple("c2", 1));
  }

  @Test
  void removeSessionRemovesAllItsSubscriptionsSharedOrNot() {
    subscribe("c1", "a/b", SubscriptionOptions.ofMaxQos(1));
    subscribe("c1", "#", SubscriptionOptions.ofMaxQos(1));
    subscribe("c1", "$share/g/a/b", SubscriptionOptions.ofMaxQos(1));
    subscribe("c2", "a/+", SubscriptionOptions.ofMaxQos(1));

    assertThat(index.removeSession("c1")).isEqualTo(3);
    assertThat(index.removeSession("c1")).isZero();

    RouteResult result = route("a/b", "p", 1);
    assertThat(result.deliveries()).extracting(Delivery::clientId).containsExactly("c2");
    assertThat(result.unavailableSharedGroups()).isZero();
    assertThat(index.subscriptions("c1")).isEmpty();
  }

  @Test
  void filtersStartingWithAWildcardDoNotMatchDollarTopics_MQTT_4_7_2_1() {
    subscribe("c1", "#", SubscriptionOptions.ofMaxQos(1));
    subscribe("c2", "$SYS/#", SubscriptionOptions.ofMaxQos(1));

    assertThat(route("$SYS/uptime", "p", 1).deliveries()).extracting(Delivery::clientId).containsExactly("c2");
  }

  @Test
  void aTopicWithNoMatchingSubscriptionHasNoDeliveries() {
    subscribe("c1", "a/b", SubscriptionOptions.ofMaxQos(1));

    assertThat(route("a/c", "p", 1)).isEqualTo(new RouteResult(List.of(), 0));
  }

  private boolean subscribe(String clientId, String filter, SubscriptionOptions options) {
    return index.subscribe(new Subscription(clientId, TopicFilter.parse(filter), options));
  }

  private RouteResult route(String topic, String publisher, int qos) {
    return index.route(TopicName.parse(topic), publisher, qos);
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}
