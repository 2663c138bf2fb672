package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.topic.TopicFilter;
import org.junit.jupiter.api.Test;

/**
 * Deliveries travel per subscription: each names the subscription it is for, and a subscription whose channel is
 * stalled (no credit, or not reattached after a reconnect) holds back only its own messages.
 */
class SubscriptionLanesTest {

  private final BrokerFixture fixture = new BrokerFixture();
  private final Client publisher = fixture.connectClean("pub");

  @Test
  void eachDeliveryNamesTheSubscriptionItTravelsFor() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("a/+", 1);
    subscriber.subscribe("b/#", 1);

    publisher.publish("a/x", "1", 1);
    publisher.publish("b/y", "2", 1);

    assertThat(subscriber.link().publishes).extracting(publish -> publish.subscription().asString())
        .containsExactly("a/+", "b/#");
  }

  @Test
  void aLaneEmptiedByOneSubscriptionServesTheNextWithNothingOfItsOwn() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("a", 1);
    subscriber.subscribe("b", 1);
    subscriber.link().stalled.add("b");

    publisher.publish("a", "a1", 1); // a's lane empties at once: the next new lane reuses it
    publisher.publish("b", "b1", 1); // held: b is stalled
    publisher.publish("a", "a2", 1);
    subscriber.link().stalled.clear();
    subscriber.session().resume();
    publisher.publish("b", "b2", 1);

    assertThat(subscriber.link().publishes).extracting(publish -> publish.subscription().asString())
        .containsExactly("a", "a", "b", "b");
    subscriber.assertReceived("a1", "a2", "b1", "b2");
  }

  @Test
  void anOverlappingMatchTravelsForTheSubscriptionGrantingTheHighestQos() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("a/#", 0);
    subscriber.subscribe("a/+", 2);
    subscriber.subscribe("+/x", 2);

    publisher.publish("a/x", "m", 2);

    assertThat(subscriber.link().publishes).singleElement()
        .satisfies(publish -> assertThat(publish.subscription().asString()).isEqualTo("+/x"))
        .satisfies(publish -> assertThat(publish.qos()).isEqualTo(2));
  }

  @Test
  void aStalledSubscriptionHoldsBackOnlyItsOwnMessages() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("slow", 1);
    subscriber.subscribe("fast", 1);
    subscriber.link().stalled.add("slow");

    publisher.publish("slow", "s1", 1);
    publisher.publish("fast", "f1", 1);
    publisher.publish("slow", "s2", 0);
    publisher.publish("fast", "f2", 0);
    subscriber.assertReceived("f1", "f2");

    subscriber.link().stalled.clear();
    subscriber.session().resume();
    subscriber.assertReceived("f1", "f2", "s1", "s2");
  }

  @Test
  void inFlightMessagesAreResentAfterAReconnectOnlyOnceTheirSubscriptionCanTakeThem() {
    Client subscriber = fixture.connectPersistent("sub");
    subscriber.subscribe("t", 1);
    publisher.publish("t", "m", 1);
    int packetId = subscriber.link().last().packetId();
    subscriber.session().connectionLost();

    RecordingLink stalled = new RecordingLink();
    stalled.stalled.add("t");
    SessionHandle again = BrokerFixture.join(fixture.broker.connect(ConnectRequest.persistent("sub", 3600), stalled,
        BrokerFixture.DIRECT)).handle();
    again.start();
    assertThat(stalled.publishes).isEmpty();

    stalled.stalled.clear();
    again.resume();
    assertThat(stalled.publishes).singleElement()
        .satisfies(publish -> assertThat(publish.dup()).isTrue())
        .satisfies(publish -> assertThat(publish.packetId()).isEqualTo(packetId));
  }

  @Test
  void inFlightMessagesOfASubscriptionNotYetReattachedDoNotHoldTheWindowOfAnother() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxInflight(2));
    Client subscriber = small.connectPersistent("sub");
    subscriber.subscribe("old", 1);
    subscriber.subscribe("new", 1);
    Client sender = small.connectClean("pub");
    sender.publish("old", "o1", 1);
    sender.publish("old", "o2", 1); // both in flight, never acknowledged: the window of 2 is full
    subscriber.session().connectionLost();

    RecordingLink link = new RecordingLink();
    link.stalled.add("old"); // the client reattaches only "new"
    SessionHandle again = BrokerFixture.join(small.broker.connect(ConnectRequest.persistent("sub", 3600), link,
        BrokerFixture.DIRECT)).handle();
    again.start();
    sender.publish("new", "n1", 1);

    assertThat(link.payloads()).containsExactly("n1");
  }

  @Test
  void abandoningASubscriptionDropsItsQueuedAndInFlightMessagesButNotOthers() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("gone", 1);
    subscriber.subscribe("kept", 1);
    publisher.publish("gone", "in flight", 1);
    subscriber.link().stalled.add("gone");
    publisher.publish("gone", "queued", 1);
    publisher.publish("kept", "k", 1);

    subscriber.session().unsubscribe(TopicFilter.parse("gone"));
    subscriber.session().abandon(TopicFilter.parse("gone"));
    subscriber.link().stalled.clear();
    subscriber.session().resume();

    subscriber.assertReceived("in flight", "k");
    fixture.broker.endSession("sub");
  }

  @Test
  void droppedNewestMessagesAreReportedByTheNextMessageAfterTheGapNotByTheHeadOfTheQueue() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxQueuedMessages(2));
    Client subscriber = small.connectClean("sub");
    subscriber.subscribe("t", 0);
    subscriber.subscribe("u", 0);
    subscriber.link().writable = false;
    Client sender = small.connectClean("pub");
    for (int i = 1; i <= 5; i++) {
      sender.publish("t", "t" + i, 0); // t3, t4 and t5 find the queue full
    }

    subscriber.link().writable = true;
    subscriber.session().resume();
    sender.publish("u", "u1", 0);
    sender.publish("t", "t6", 0);

    subscriber.assertReceived("t1", "t2", "u1", "t6");
    assertThat(subscriber.link().publishes).extracting(OutboundPublish::droppedBefore)
        .containsExactly(0L, 0L, 0L, 3L);
  }

  @Test
  void droppedOldestMessagesAreReportedByTheMessageThatFollowedThem() {
    BrokerFixture small = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxQueuedMessages(2)
        .withOverflowPolicy(QueueOverflowPolicy.DROP_OLDEST));
    Client subscriber = small.connectClean("sub");
    subscriber.subscribe("t", 0);
    subscriber.link().writable = false;
    Client sender = small.connectClean("pub");
    for (int i = 1; i <= 5; i++) {
      sender.publish("t", "t" + i, 0); // t1, t2 and t3 make room for the newer ones
    }

    subscriber.link().writable = true;
    subscriber.session().resume();

    subscriber.assertReceived("t4", "t5");
    assertThat(subscriber.link().publishes).extracting(OutboundPublish::droppedBefore).containsExactly(3L, 0L);
  }

  @Test
  void aMessageTooLargeForTheClientIsNotSentCountsAsDeliveredAndIsReportedByTheNext() {
    BrokerFixture oneInFlight = new BrokerFixture(BrokerOptions.DEFAULTS.withMaxInflight(1));
    Client subscriber = oneInFlight.connectClean("sub");
    subscriber.subscribe("t", 1);
    subscriber.link().maxPayload = 4;
    Client sender = oneInFlight.connectClean("pub");

    sender.publish("t", "small", 1); // 5 bytes: over the limit
    sender.publish("t", "tiny", 1); // sent although nothing was acknowledged: "small" does not hold the window

    subscriber.assertReceived("tiny");
    assertThat(subscriber.link().last().droppedBefore()).isEqualTo(1);
    assertThat(oneInFlight.broker.stats().dropped(DropReason.TOO_LARGE)).isEqualTo(1);
  }
}
