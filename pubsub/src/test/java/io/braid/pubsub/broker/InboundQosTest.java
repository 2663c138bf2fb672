package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.ControlledStore;
import io.braid.pubsub.store.StoreException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The publisher-to-broker QoS flows: acknowledgement, durability before acknowledgement, QoS 2 deduplication. */
class InboundQosTest {

  private final BrokerFixture fixture = new BrokerFixture();
  private final Client publisher = fixture.connectClean("pub");

  @Test
  void acknowledgesQos1WithSuccessWhenSomeoneIsSubscribed() {
    fixture.connectClean("sub").subscribe("t", 1);

    assertThat(publisher.publish("t", "m", 1)).isEqualTo(AckReason.SUCCESS);
  }

  @Test
  void acknowledgesWithNoMatchingSubscribersWhenNothingMatched() {
    assertThat(publisher.publish("nobody/listens", "m", 1)).isEqualTo(AckReason.NO_MATCHING_SUBSCRIBERS);
    assertThat(publisher.publish("nobody/listens", "m", 2, false)).isEqualTo(AckReason.NO_MATCHING_SUBSCRIBERS);
  }

  @Test
  void routesAQos2MessageOnceWhenItsPublishIsRepeatedBeforePubRel() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 2);
    ApplicationMessage message = ApplicationMessage.of("pub", "t", BrokerFixture.bytes("once"), 2, false);

    assertThat(publisher.publish(message, 7)).isEqualTo(AckReason.SUCCESS);
    assertThat(publisher.publish(message, 7)).isEqualTo(AckReason.SUCCESS); // the DUP resend

    subscriber.assertReceived("once");
  }

  @Test
  void routesAgainOnceThePacketIdWasReleased() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 2);
    ApplicationMessage message = ApplicationMessage.of("pub", "t", BrokerFixture.bytes("m"), 2, false);

    publisher.publish(message, 7);
    assertThat(publisher.session().release(7).join()).isEqualTo(AckReason.SUCCESS);
    publisher.publish(message, 7);

    subscriber.assertReceived("m", "m");
  }

  @Test
  void aPersistentPublishersQos2MessageReachesSubscribersOnlyOnceItsIdentifierIsDurable() {
    ControlledStore store = new ControlledStore();
    BrokerFixture durable = new BrokerFixture(BrokerOptions.DEFAULTS, store);
    Client subscriber = durable.connectClean("sub");
    subscriber.subscribe("t", 2);
    Client sender = durable.connectPersistent("pub");

    CompletableFuture<AckReason> pubRec = sender.session().publish(
        ApplicationMessage.of("pub", "t", BrokerFixture.bytes("m"), 2, false), 6);

    assertThat(subscriber.link().publishes).as("a crash now forgets identifier 6: a retransmission would be new")
        .isEmpty();
    store.completeSyncs();
    subscriber.assertReceived("m");
    assertThat(pubRec).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void aPersistentSessionAnswersPubRelOnlyOnceTheReleaseIsDurable() {
    ControlledStore store = new ControlledStore();
    BrokerFixture durable = new BrokerFixture(BrokerOptions.DEFAULTS, store);
    Client sender = durable.connectPersistent("pub");
    sender.session().publish(ApplicationMessage.of("pub", "t", BrokerFixture.bytes("m"), 2, false), 4);
    store.completeSyncs();

    CompletableFuture<AckReason> pubComp = sender.session().release(4);

    assertThat(pubComp).as("a restart now would still hold identifier 4").isNotDone();
    store.completeSyncs();
    assertThat(pubComp).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void answersPubRelForAnUnknownPacketIdWithPacketIdentifierNotFound() {
    assertThat(publisher.session().release(99).join()).isEqualTo(AckReason.PACKET_IDENTIFIER_NOT_FOUND);
  }

  @Test
  void qos1RepeatIsRoutedAgainAsAtLeastOnceAllows() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 1);
    ApplicationMessage message = ApplicationMessage.of("pub", "t", BrokerFixture.bytes("m"), 1, false);

    publisher.publish(message, 3);
    publisher.publish(message, 3);

    subscriber.assertReceived("m", "m");
  }

  @Test
  void acknowledgesOnlyAfterTheStoreSyncForAPersistentSubscriber() {
    ControlledStore store = new ControlledStore();
    BrokerFixture durable = new BrokerFixture(BrokerOptions.DEFAULTS, store);
    durable.connectPersistent("sub").subscribe("t", 1);
    Client sender = durable.connectClean("pub");

    CompletableFuture<AckReason> ack = sender.session().publish(
        ApplicationMessage.of("pub", "t", BrokerFixture.bytes("m"), 1, false), 1);

    assertThat(ack).isNotDone();
    store.completeSyncs();
    assertThat(ack).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void refusesToAcknowledgeWhenTheStoreCannotSync() {
    ControlledStore store = new ControlledStore();
    BrokerFixture durable = new BrokerFixture(BrokerOptions.DEFAULTS, store);
    durable.connectPersistent("sub").subscribe("t", 2);
    Client sender = durable.connectClean("pub");
    ApplicationMessage message = ApplicationMessage.of("pub", "t", BrokerFixture.bytes("m"), 2, false);

    CompletableFuture<AckReason> ack = sender.session().publish(message, 5);
    store.failSyncs(new StoreException("No space left on device"));

    assertThat(ack).isCompletedWithValue(AckReason.UNSPECIFIED_ERROR);
    assertThat(durable.broker.stats().storeFailures()).isEqualTo(1);
    assertThat(sender.session().release(5).join()).isEqualTo(AckReason.PACKET_IDENTIFIER_NOT_FOUND);
  }

  /**
   * Each publish's outcome completes on its own: putting acknowledgements back in publish order is the connection's
   * job, per channel of publishes (the server's AckQueue and PublicationStreamsTest).
   */
  @Test
  void aPublishThatNeedsNoSyncIsDecidedWithoutWaitingForAnEarlierDurableOne() {
    ControlledStore store = new ControlledStore();
    BrokerFixture durable = new BrokerFixture(BrokerOptions.DEFAULTS, store);
    durable.connectPersistent("sub").subscribe("durable", 1);
    Client sender = durable.connectClean("pub");

    CompletableFuture<AckReason> first = sender.session().publish(
        ApplicationMessage.of("pub", "durable", BrokerFixture.bytes("1"), 1, false), 1);
    CompletableFuture<AckReason> second = sender.session().publish(
        ApplicationMessage.of("pub", "unheard", BrokerFixture.bytes("2"), 1, false), 2);

    assertThat(first).isNotDone();
    assertThat(second).isCompletedWithValue(AckReason.NO_MATCHING_SUBSCRIBERS);
    store.completeSyncs();
    assertThat(first).isCompletedWithValue(AckReason.SUCCESS);
  }

  @Test
  void countsPublishedMessagesByQos() {
    publisher.publish("t", "a", 0);
    publisher.publish("t", "b", 1);
    publisher.publish("t", "c", 1);

    assertThat(fixture.broker.stats().published(0)).isEqualTo(1);
    assertThat(fixture.broker.stats().published(1)).isEqualTo(2);
  }
}
