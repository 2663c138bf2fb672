package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.message.ApplicationMessage;
import org.junit.jupiter.api.Test;

/** Retained messages another node of a cluster held before this one joined: kept if newer, never delivered. */
class PeerRetainedTest {

  private final BrokerFixture fixture = new BrokerFixture();

  private static ApplicationMessage retained(String topic, String payload, long createdAtMillis) {
    return ApplicationMessage.of("elsewhere", topic, BrokerFixture.bytes(payload), 1, true)
        .accepted(99, createdAtMillis);
  }

  @Test
  void aRetainedMessageFromAnotherNodeIsKeptAndNotDelivered() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("status/#", 1);

    fixture.broker.keepRetainedFromPeer(retained("status/door", "open", 1_000));

    assertThat(subscriber.link().publishes).as("kept, not published").isEmpty();
    Client later = fixture.connectClean("later");
    later.subscribe("status/+", 1);
    later.assertReceived("open");
  }

  @Test
  void aNewerRetainedMessageHereIsNotReplacedByAnOlderOne() {
    fixture.broker.keepRetainedFromPeer(retained("status/door", "new", 2_000));
    fixture.broker.keepRetainedFromPeer(retained("status/door", "old", 1_000));

    Client later = fixture.connectClean("later");
    later.subscribe("status/door", 1);
    later.assertReceived("new");
  }

  @Test
  void aLateRetainedPublishFromAnotherNodeIsDeliveredButDoesNotReplaceANewerOneHere() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("status/#", 1);
    fixture.connectClean("pub").publish("status/door", "closed", 1, true); // accepted at the clock's 1,000,000

    fixture.broker.deliverFromPeer(retained("status/door", "open", 999_000), group -> true).join();

    subscriber.assertReceived("closed", "open"); // a live publish all the same
    Client later = fixture.connectClean("later");
    later.subscribe("status/door", 1);
    later.assertReceived("closed");
  }

  @Test
  void sysTopicsAreNotOfferedToOtherNodes() {
    fixture.broker.keepRetainedFromPeer(retained("$SYS/broker/uptime", "5", 1_000));
    fixture.broker.keepRetainedFromPeer(retained("status/door", "open", 1_000));

    assertThat(fixture.broker.retainedMessages()).extracting(message -> message.topic().asString())
        .containsExactly("status/door");
  }
}
