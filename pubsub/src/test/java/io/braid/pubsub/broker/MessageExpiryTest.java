package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.message.ApplicationMessage;
import org.junit.jupiter.api.Test;

/** Message expiry (MQTT 5.0 §3.3.2.3.3): expired messages are never delivered; the remaining interval is sent on. */
class MessageExpiryTest {

  private final BrokerFixture fixture = new BrokerFixture();
  private final Client publisher = fixture.connectClean("pub");

  private void publishExpiring(String topic, String payload, long seconds, boolean retain) {
    publisher.publish(ApplicationMessage.of("pub", topic, BrokerFixture.bytes(payload), 1, retain)
        .withMessageExpiryInterval(seconds), 1);
  }

  @Test
  void forwardsTheFullIntervalWhenDeliveredAtOnce() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 1);

    publishExpiring("t", "m", 30, false);

    assertThat(subscriber.link().last().messageExpiryInterval()).isEqualTo(30);
  }

  @Test
  void forwardsTheRemainingIntervalAfterWaitingInTheQueue() {
    Client subscriber = fixture.connectPersistent("sub");
    subscriber.subscribe("t", 1);
    subscriber.session().connectionLost();
    publishExpiring("t", "m", 30, false);

    fixture.time.advanceSeconds(10);
    Client again = fixture.connectPersistent("sub");

    assertThat(again.link().last().messageExpiryInterval()).isEqualTo(20);
  }

  @Test
  void neverDeliversAQueuedMessageAfterItExpired() {
    Client subscriber = fixture.connectPersistent("sub");
    subscriber.subscribe("t", 1);
    subscriber.session().connectionLost();
    publishExpiring("t", "short", 5, false);
    publishExpiring("t", "long", 500, false);

    fixture.time.advanceSeconds(5);

    fixture.connectPersistent("sub").assertReceived("long");
    assertThat(fixture.broker.stats().dropped(DropReason.EXPIRED)).isEqualTo(1);
  }

  @Test
  void neverDeliversAnExpiredRetainedMessage() {
    publishExpiring("t", "stale", 5, true);

    fixture.time.advanceSeconds(6);
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 1);

    assertThat(subscriber.link().publishes).isEmpty();
    assertThat(fixture.broker.retainedCount()).isZero();
  }

  @Test
  void aMessageWithoutExpiryIsForwardedWithoutOne() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 1);

    publisher.publish("t", "m", 1);

    assertThat(subscriber.link().last().messageExpiryInterval()).isEqualTo(ApplicationMessage.NO_EXPIRY);
  }
}
