package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.ControlledStore;
import org.junit.jupiter.api.Test;

/** The broker-to-subscriber QoS flows (MQTT 5.0 §4.3, §4.4, §4.9) as seen on the subscriber's link. */
class OutboundQosTest {

  private final BrokerFixture fixture = new BrokerFixture();
  private final Client publisher = fixture.connectClean("pub");

  @Test
  void deliversAtTheMinimumOfPublishedAndGrantedQos() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 1);

    publisher.publish("t", "two", 2);
    publisher.publish("t", "zero", 0);

    assertThat(subscriber.link().publishes).extracting(OutboundPublish::qos).containsExactly(1, 0);
    assertThat(subscriber.link().publishes.get(0).packetId()).isPositive();
    assertThat(subscriber.link().publishes.get(1).packetId()).isZero();
  }

  @Test
  void firstDeliveryIsNotMarkedDuplicate() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 2);

    publisher.publish("t", "m", 2);

    assertThat(subscriber.link().last().dup()).isFalse();
  }

  @Test
  void stopsAtTheReceiveMaximumAndResumesOnPubAck() {
    Client subscriber = fixture.connect(ConnectRequest.clean("sub").withReceiveMaximum(2));
    subscriber.subscribe("t", 1);

    publisher.publish("t", "1", 1);
    publisher.publish("t", "2", 1);
    publisher.publish("t", "3", 1);
    subscriber.assertReceived("1", "2");

    subscriber.session().pubAck(subscriber.link().publishes.get(0).packetId());

    subscriber.assertReceived("1", "2", "3");
  }

  @Test
  void qos0IsNotHeldByAFullWindowButKeepsItsPlaceInOrder() {
    Client subscriber = fixture.connect(ConnectRequest.clean("sub").withReceiveMaximum(1));
    subscriber.subscribe("t", 1);

    publisher.publish("t", "a", 1);
    publisher.publish("t", "b", 1);
    publisher.publish("t", "c", 0);
    subscriber.assertReceived("a");

    subscriber.session().pubAck(subscriber.link().publishes.get(0).packetId());
    subscriber.assertReceived("a", "b", "c");
  }

  @Test
  void waitsWhileTheLinkIsNotWritableAndResumesWhenTold() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 1);
    subscriber.link().writable = false;

    publisher.publish("t", "1", 1);
    publisher.publish("t", "2", 0);
    assertThat(subscriber.link().publishes).isEmpty();

    subscriber.link().writable = true;
    subscriber.session().resume();

    subscriber.assertReceived("1", "2");
  }

  @Test
  void qos2FlowSendsPubRelOnPubRecAndCompletesOnPubComp() {
    Client subscriber = fixture.connect(ConnectRequest.clean("sub").withReceiveMaximum(1));
    subscriber.subscribe("t", 2);
    publisher.publish("t", "1", 2);
    publisher.publish("t", "2", 2);
    int packetId = subscriber.link().last().packetId();

    subscriber.session().pubRec(packetId, false);
    assertThat(subscriber.link().pubRels).containsExactly(packetId);
    subscriber.assertReceived("1"); // still in flight until PUBCOMP

    subscriber.session().pubComp(packetId);
    subscriber.assertReceived("1", "2");
  }

  @Test
  void repeatedPubRecIsAnsweredWithPubRelAgain() {
    Client subscriber = fixture.connectClean("sub");
    subscriber.subscribe("t", 2);
    publisher.publish("t", "1", 2);
    int packetId = subscriber.link().last().packetId();

    subscriber.session().pubRec(packetId, false);
    subscriber.session().pubRec(packetId, false);

    assertThat(subscriber.link().pubRels).containsExactly(packetId, packetId);
  }

  @Test
  void pubRecWithAFailureReasonEndsTheExchangeWithoutPubRel() {
    Client subscriber = fixture.connect(ConnectRequest.clean("sub").withReceiveMaximum(1));
    subscriber.subscribe("t", 2);
    publisher.publish("t", "1", 2);
    publisher.publish("t", "2", 2);

    subscriber.session().pubRec(subscriber.link().last().packetId(), true);

    assertThat(subscriber.link().pubRels).isEmpty();
    subscriber.assertReceived("1", "2");
  }

  @Test
  void ignoresAcknowledgementsOfTheWrongKindOrForUnknownPacketIds() {
    Client subscriber = fixture.connect(ConnectRequest.clean("sub").withReceiveMaximum(1));
    subscriber.subscribe("t", 2);
    publisher.publish("t", "1", 2);
    publisher.publish("t", "2", 2);
    int packetId = subscriber.link().last().packetId();

    subscriber.session().pubAck(packetId); // PUBACK for a QoS 2 message
    subscriber.session().pubComp(packetId); // PUBCOMP before PUBREC
    subscriber.session().pubAck(packetId + 1000);

    subscriber.assertReceived("1");
  }

  @Test
  void redeliversUnacknowledgedMessagesWithDupInOrderAfterReconnect() {
    Client subscriber = fixture.connectPersistent("sub");
    subscriber.subscribe("t", 1);
    publisher.publish("t", "1", 1);
    publisher.publish("t", "2", 1);
    publisher.publish("t", "3", 1);
    subscriber.session().pubAck(subscriber.link().publishes.get(1).packetId());
    subscriber.session().connectionLost();

    Client again = fixture.connectPersistent("sub");

    again.assertReceived("1", "3");
    assertThat(again.link().publishes).allMatch(OutboundPublish::dup);
    assertThat(again.link().publishes).extracting(OutboundPublish::packetId)
        .containsExactly(subscriber.link().publishes.get(0).packetId(), subscriber.link().publishes.get(2).packetId());
  }

  @Test
  void aPubRelForAStoredMessageWaitsUntilItsReleaseIsDurable() {
    ControlledStore store = new ControlledStore();
    BrokerFixture durable = new BrokerFixture(BrokerOptions.DEFAULTS, store);
    Client subscriber = durable.connectPersistent("sub");
    subscriber.subscribe("t", 2);
    durable.connectClean("pub").session().publish(ApplicationMessage.of("pub", "t", BrokerFixture.bytes("1"), 2,
        false), 1);
    store.completeSyncs();
    int packetId = subscriber.link().last().packetId();

    subscriber.session().pubRec(packetId, false);
    subscriber.session().pubRec(packetId, false); // repeated before the commit: still nothing

    assertThat(subscriber.link().pubRels).as("before the commit: a restart would resend the PUBLISH").isEmpty();
    store.completeSyncs();
    assertThat(subscriber.link().pubRels).containsExactly(packetId);
  }

  @Test
  void resendsPubRelNotThePublishForAReleasedQos2MessageAfterReconnect() {
    Client subscriber = fixture.connectPersistent("sub");
    subscriber.subscribe("t", 2);
    publisher.publish("t", "1", 2);
    int packetId = subscriber.link().last().packetId();
    subscriber.session().pubRec(packetId, false);
    subscriber.session().connectionLost();

    Client again = fixture.connectPersistent("sub");

    assertThat(again.link().publishes).isEmpty();
    assertThat(again.link().pubRels).containsExactly(packetId);
    again.session().pubComp(packetId);
    publisher.publish("t", "2", 2);
    again.assertReceived("2");
    assertThat(again.link().last().dup()).isFalse();
  }

  @Test
  void queuedMessagesWaitForStartSoThatConnAckGoesFirst() {
    Client subscriber = fixture.connectPersistent("sub");
    subscriber.subscribe("t", 1);
    subscriber.session().connectionLost();
    publisher.publish("t", "while away", 1);

    RecordingLink link = new RecordingLink();
    ConnectResult result = BrokerFixture.join(
        fixture.broker.connect(ConnectRequest.persistent("sub", 3600), link, BrokerFixture.DIRECT));
    assertThat(link.publishes).isEmpty();

    result.handle().start();
    assertThat(link.payloads()).containsExactly("while away");
  }

  @Test
  void holdsAMessageWhosePacketIdIsStillInFlightAfterTheSequenceWrapsAround() {
    Client subscriber = fixture.connect(ConnectRequest.clean("sub"));
    subscriber.subscribe("t", 1);
    publisher.publish("t", "old", 1);
    int stuck = subscriber.link().last().packetId();
    for (int i = 1; i < 65_535; i++) {
      publisher.publish("t", "m" + i, 1);
      subscriber.session().pubAck(subscriber.link().last().packetId());
    }
    int sent = subscriber.link().publishes.size();

    publisher.publish("t", "wrapped", 1); // its packet id would be the stuck one's

    assertThat(subscriber.link().publishes).hasSize(sent);
    subscriber.session().pubAck(stuck);
    assertThat(subscriber.link().last().packetId()).isEqualTo(stuck);
    assertThat(subscriber.link().payloads()).endsWith("wrapped");
  }
}
