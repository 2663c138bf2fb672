package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import org.junit.jupiter.api.Test;

/**
 * Each subscription's own overflow policy and queue limit when its subscriber falls behind: what it keeps, what it
 * drops, how the drops are counted and told, and that the session's limit bounds them all.
 */
class SubscriptionOverflowTest {

  private final BrokerFixture fixture = new BrokerFixture();

  /** A subscriber of {@code filter} whose link takes nothing until {@link #release} is called. */
  private Client stalled(String filter, QueueOverflowPolicy policy, int maxQueued) {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe(filter, 0, policy, maxQueued);
    subscriber.link().writable = false;
    return subscriber;
  }

  private static void release(Client subscriber) {
    subscriber.link().writable = true;
    subscriber.session().resume();
  }

  private void publish(Client sender, String topic, int from, int to) {
    for (int i = from; i <= to; i++) {
      sender.publish(topic, topic + i, 0);
    }
  }

  @Test
  void dropOldestKeepsTheNewestAndTellsTheCountWithTheFirstKept() {
    Client subscriber = stalled("t", QueueOverflowPolicy.DROP_OLDEST, 3);
    publish(fixture.connectClean("pub"), "t", 1, 10);

    release(subscriber);

    subscriber.assertReceived("t8", "t9", "t10");
    assertThat(subscriber.link().publishes).extracting(OutboundPublish::droppedBefore).containsExactly(7L, 0L, 0L);
    assertThat(fixture.broker.stats().overflowed(QueueOverflowPolicy.DROP_OLDEST)).isEqualTo(7);
    assertThat(fixture.broker.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(7);
  }

  @Test
  void dropNewestKeepsTheOldestAndTellsTheCountWithTheNextMessageAfterTheGap() {
    Client subscriber = stalled("t", QueueOverflowPolicy.DROP_NEWEST, 3);
    Client sender = fixture.connectClean("pub");
    publish(sender, "t", 1, 10);

    release(subscriber);
    sender.publish("t", "t11", 0);

    subscriber.assertReceived("t1", "t2", "t3", "t11");
    assertThat(subscriber.link().publishes).extracting(OutboundPublish::droppedBefore)
        .containsExactly(0L, 0L, 0L, 7L);
    assertThat(fixture.broker.stats().overflowed(QueueOverflowPolicy.DROP_NEWEST)).isEqualTo(7);
  }

  @Test
  void conflateKeepsOnlyTheLatestMessagePerTopicAndCountsTheReplacedOnes() {
    Client subscriber = stalled("prices/+", QueueOverflowPolicy.CONFLATE, 0);
    Client sender = fixture.connectClean("pub");
    sender.publish("prices/a", "a1", 0);
    sender.publish("prices/b", "b1", 0);
    sender.publish("prices/a", "a2", 0);
    sender.publish("prices/b", "b2", 0);
    sender.publish("prices/a", "a3", 0);

    release(subscriber);

    subscriber.assertReceived("b2", "a3");
    assertThat(subscriber.link().publishes).extracting(OutboundPublish::droppedBefore).containsExactly(1L, 2L);
    assertThat(fixture.broker.stats().dropped(DropReason.CONFLATED)).isEqualTo(3);
    assertThat(fixture.broker.stats().dropped(DropReason.QUEUE_FULL)).isZero();
  }

  @Test
  void conflateOverItsLimitDropsTheOldestTopic() {
    Client subscriber = stalled("prices/+", QueueOverflowPolicy.CONFLATE, 2);
    Client sender = fixture.connectClean("pub");
    sender.publish("prices/a", "a1", 0);
    sender.publish("prices/b", "b1", 0);
    sender.publish("prices/c", "c1", 0);

    release(subscriber);

    subscriber.assertReceived("b1", "c1");
    assertThat(fixture.broker.stats().overflowed(QueueOverflowPolicy.CONFLATE)).isEqualTo(1);
  }

  @Test
  void aConflatingSubscriberThatKeepsUpGetsEveryMessage() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("prices/+", 0, QueueOverflowPolicy.CONFLATE, 1);
    Client sender = fixture.connectClean("pub");
    publish(sender, "prices/a", 1, 5);

    subscriber.assertReceived("prices/a1", "prices/a2", "prices/a3", "prices/a4", "prices/a5");
    assertThat(fixture.broker.stats().dropped(DropReason.CONFLATED)).isZero();
  }

  @Test
  void disconnectClosesTheSubscriberOnceItsSubscriptionOverflows() {
    Client subscriber = stalled("t", QueueOverflowPolicy.DISCONNECT, 2);
    publish(fixture.connectClean("pub"), "t", 1, 3);

    assertThat(subscriber.link().closes).containsExactly(DisconnectCause.QUOTA_EXCEEDED);
    assertThat(fixture.broker.stats().overflowed(QueueOverflowPolicy.DISCONNECT)).isEqualTo(1);
  }

  @Test
  void aSubscriptionNeverQueuesMoreThanTheSession() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxQueuedMessages(4));
    Client subscriber = small.connectClean("sub");
    subscriber.subscribe("t", 0, QueueOverflowPolicy.DROP_OLDEST, 100);
    subscriber.link().writable = false;
    publish(small.connectClean("pub"), "t", 1, 10);

    release(subscriber);

    subscriber.assertReceived("t7", "t8", "t9", "t10");
  }

  @Test
  void oneSubscriptionsPolicyLeavesTheOthersOfTheSessionAlone() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("fast/#", 0, QueueOverflowPolicy.CONFLATE, 1);
    subscriber.subscribe("log", 0);
    subscriber.link().writable = false;
    Client sender = fixture.connectClean("pub");
    publish(sender, "fast/x", 1, 3);
    publish(sender, "log", 1, 3);

    release(subscriber);

    assertThat(subscriber.link().publishes).extracting(p -> new String(p.message().payload()))
        .containsExactlyInAnyOrder("fast/x3", "log1", "log2", "log3");
  }

  @Test
  void unsubscribingForgetsTheSubscriptionsPolicy() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 0, QueueOverflowPolicy.CONFLATE, 1);
    subscriber.session().unsubscribe(io.braid.pubsub.topic.TopicFilter.parse("t"));
    subscriber.subscribe("t", 0);
    subscriber.link().writable = false;
    publish(fixture.connectClean("pub"), "t", 1, 3);

    release(subscriber);

    subscriber.assertReceived("t1", "t2", "t3");
  }
}
