package io.braid.server.braid;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.StreamState;
import io.braid.pubsub.broker.ClientLink;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.store.ControlledStore;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.server.config.BrokerConfig;
import io.braid.server.frontend.ConnectedClient;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publication streams of a connection, with no socket: acknowledgement order whatever order the store completes
 * in, packet identifiers in use, how streams end and what a reset does to what is owed.
 */
class PublicationStreamsTest {

  private final ControlledStore store = new ControlledStore();
  private final PartsFixture fixture = new PartsFixture(BrokerConfig.defaults(), store);
  private final Wire wire = new Wire();
  private final PartsFixture.Control control = new PartsFixture.Control();
  private final ConnectedClient client = fixture.connect("publisher", false, new IdleLink());
  private final PublicationStreams publications = new PublicationStreams(wire.server, client,
      fixture.frontEnd.publishGate(client), control, Runnable::run, (delayMillis, task) -> {
        throw new AssertionError("no publish here is over a rate"); // the default rate is unlimited
      });

  PublicationStreamsTest() {
    wire.onServerMessage(received -> {
      if (received.message() instanceof Publish publish) {
        publications.onPublish(received.streamId(), received.endStream(), publish);
      } else if (received.message() instanceof PubRel rel) {
        publications.onPubRel(received.streamId(), received.endStream(), rel);
      }
    });
    wire.onServerStreamLayer(publications::onStreamClosed, publications::onCredit);
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private static Publish publish(String topic, int qos, int packetId) {
    return Publish.of(topic, Buffer.buffer("m"), qos, packetId);
  }

  /** A persistent session subscribed to {@code durable/#}: publishes there wait for the store's sync. */
  private void durableSubscriber() {
    ConnectedClient subscriber = fixture.connect("keeper", true, new IdleLink());
    subscriber.session().subscribe(TopicFilter.parse("durable/#"), SubscriptionOptions.ofMaxQos(1));
  }

  @Test
  void acknowledgementsFollowArrivalOrderEvenWhenALaterOutcomeIsKnownFirst() {
    durableSubscriber();
    int stream = wire.client.openStream();

    wire.clientSends(stream, publish("durable/a", 1, 1), false); // waits for the store
    wire.clientSends(stream, publish("nobody/listens", 1, 2), false); // decided at once: 0x10
    assertThat(wire.clientGot(PubAck.class)).isEmpty();
    assertThat(publications.owesAcknowledgements()).isTrue();

    store.completeSyncs();
    wire.settle();

    assertThat(wire.clientGot(PubAck.class)).containsExactly(PubAck.of(1),
        PubAck.of(2, ReasonCode.NO_MATCHING_SUBSCRIBERS));
    assertThat(publications.owesAcknowledgements()).isFalse();
  }

  @Test
  void aQos2IdentifierInUseOnAnotherOpenStreamIsRefusedWith0x91() {
    int first = wire.client.openStream();
    wire.clientSends(first, publish("t", 2, 7), false);
    int second = wire.client.openStream();
    wire.clientSends(second, publish("t", 2, 7), false);

    assertThat(wire.clientGot(PubRec.class)).extracting(PubRec::reasonCode)
        .containsExactly(ReasonCode.NO_MATCHING_SUBSCRIBERS, ReasonCode.PACKET_IDENTIFIER_IN_USE);

    wire.clientSends(first, PubRel.of(7), false);
    wire.clientSends(second, publish("t", 2, 7), false); // released: free again

    assertThat(wire.clientGot(PubComp.class)).containsExactly(PubComp.of(7));
    assertThat(wire.clientGot(PubRec.class)).hasSize(3).last().extracting(PubRec::reasonCode)
        .isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
  }

  @Test
  void theLastAcknowledgementOfAStreamTheClientEndedEndsItToo() {
    int stream = wire.client.openStream();
    wire.clientSends(stream, publish("t", 1, 1), false);
    wire.clientSends(stream, publish("t", 1, 2), true);

    assertThat(wire.toClient).extracting(Wire.Received::endStream).containsExactly(false, true);
    assertThat(wire.server.state(stream)).isEqualTo(StreamState.CLOSED);
    assertThat(publications.owns(stream)).isFalse();
  }

  @Test
  void aStreamEndedWithNothingOwedIsClosedWithResetNoError() {
    int stream = wire.client.openStream();
    wire.clientSends(stream, publish("t", 0, 0), true);

    assertThat(wire.clientEvents).contains("peer reset " + stream + " " + ErrorCode.NO_ERROR, "closed " + stream);
    assertThat(wire.toClient).isEmpty();
  }

  @Test
  void aResetStreamGetsNoAcknowledgementForItsPublishesButTheyArePublished() {
    durableSubscriber();
    int stream = wire.client.openStream();
    wire.clientSends(stream, publish("durable/a", 1, 1), false);
    wire.client.reset(stream, ErrorCode.CANCEL);
    wire.settle();

    store.completeSyncs();
    wire.settle();

    assertThat(wire.toClient).isEmpty();
    assertThat(publications.owesAcknowledgements()).isFalse();
    assertThat(fixture.broker.stats().published(1)).isEqualTo(1);
  }

  @Test
  void aQos0PublishToAnInvalidTopicEndsTheConnectionWithItsReasonCode() {
    int stream = wire.client.openStream();
    wire.clientSends(stream, publish("a/+/b", 0, 0), false);

    assertThat(control.disconnects).singleElement().asString().startsWith("0x90 1008");
  }

  @Test
  void aQos1PublishToAnInvalidTopicIsRefusedInItsAcknowledgement() {
    int stream = wire.client.openStream();
    wire.clientSends(stream, publish("a/+/b", 1, 3), false);

    assertThat(wire.clientGot(PubAck.class)).singleElement().extracting(PubAck::reasonCode)
        .isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    assertThat(control.disconnects).isEmpty();
  }

  @Test
  void aClosedConnectionAnswersNothingMore() {
    durableSubscriber();
    int stream = wire.client.openStream();
    wire.clientSends(stream, publish("durable/a", 1, 1), false);
    publications.close();

    store.completeSyncs();
    wire.settle();

    assertThat(wire.toClient).isEmpty();
  }

  /** The link of a session that receives nothing in these tests. */
  static final class IdleLink implements ClientLink {
    @Override
    public boolean writable(TopicFilter subscription) {
      return false;
    }

    @Override
    public boolean sendPublish(OutboundPublish publish) {
      return true;
    }

    @Override
    public void sendPubRel(TopicFilter subscription, int packetId) {
    }

    @Override
    public void close(DisconnectCause cause) {
    }
  }
}
