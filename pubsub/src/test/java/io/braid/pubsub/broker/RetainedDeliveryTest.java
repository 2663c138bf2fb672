package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.subscription.SubscriptionOptions;
import org.junit.jupiter.api.Test;

/** Retained messages through the broker: set, replace, clear, retain handling and the RETAIN flag (§3.3.1.3). */
class RetainedDeliveryTest {

  private final BrokerFixture fixture = new BrokerFixture();
  private final Client publisher = fixture.connectClean("pub");

  @Test
  void aNewSubscriberReceivesTheRetainedMessageWithRetainSet() {
    publisher.publish("status/a", "up", 1, true);

    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("status/+", 1);

    subscriber.assertReceived("up");
    assertThat(subscriber.link().last().retain()).isTrue();
    assertThat(subscriber.link().last().qos()).isEqualTo(1);
  }

  @Test
  void aLaterRetainedPublishReplacesTheEarlierOne() {
    publisher.publish("status/a", "up", 0, true);
    publisher.publish("status/a", "down", 0, true);

    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("status/a", 0);

    subscriber.assertReceived("down");
  }

  @Test
  void anEmptyRetainedPayloadClearsTheTopic() {
    publisher.publish("status/a", "up", 0, true);
    publisher.publish("status/a", "", 0, true);

    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("status/#", 0);

    assertThat(subscriber.link().publishes).isEmpty();
    assertThat(fixture.broker.retainedCount()).isZero();
  }

  @Test
  void liveDeliveriesClearRetainUnlessRetainAsPublished() {
    Client plain = fixture.connectClean("plain");
    plain.subscribe("t", 0);
    Client asPublished = fixture.connectClean("asPublished");
    asPublished.subscribe("t", SubscriptionOptions.ofMaxQos(0).withRetainAsPublished(true));

    publisher.publish("t", "m", 0, true);

    assertThat(plain.link().last().retain()).isFalse();
    assertThat(asPublished.link().last().retain()).isTrue();
  }

  @Test
  void retainHandlingSendIfNewSendsOnlyOnTheFirstSubscribe() {
    publisher.publish("t", "m", 0, true);
    Client subscriber = fixture.connectClean("sub");
    SubscriptionOptions options = SubscriptionOptions.ofMaxQos(0)
        .withRetainHandling(SubscriptionOptions.SEND_IF_NEW_SUBSCRIPTION);

    subscriber.subscribe("t", options);
    subscriber.subscribe("t", options);

    subscriber.assertReceived("m");
  }

  @Test
  void retainHandlingSendOnSubscribeSendsOnEveryResubscribe() {
    publisher.publish("t", "m", 0, true);
    Client subscriber = fixture.connectClean("sub");

    subscriber.subscribe("t", 0);
    subscriber.subscribe("t", 0);

    subscriber.assertReceived("m", "m");
  }

  @Test
  void retainHandlingDoNotSendSendsNothing() {
    publisher.publish("t", "m", 0, true);
    Client subscriber = fixture.connectClean("sub");

    subscriber.subscribe("t", SubscriptionOptions.ofMaxQos(0).withRetainHandling(SubscriptionOptions.DO_NOT_SEND));

    assertThat(subscriber.link().publishes).isEmpty();
  }

  @Test
  void sharedSubscriptionsGetNoRetainedMessages() {
    publisher.publish("t", "m", 0, true);
    Client subscriber = fixture.connectClean("sub");

    subscriber.subscribe("$share/g/t", 0);

    assertThat(subscriber.link().publishes).isEmpty();
  }

  @Test
  void retainedMessagesCarryTheSubscriptionIdentifier() {
    publisher.publish("t", "m", 0, true);
    Client subscriber = fixture.connectClean("sub");

    subscriber.subscribe("t", SubscriptionOptions.ofMaxQos(0).withSubscriptionIdentifier(42));

    assertThat(subscriber.link().last().subscriptionIdentifiers()).containsExactly(42);
  }

  @Test
  void retainedMessagesSurviveARestart() {
    publisher.publish("a/b", "kept", 1, true);

    fixture.restart();
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("a/#", 1);

    subscriber.assertReceived("kept");
  }
}
