package io.braid.server.braid;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.protocol.message.UnsubAck;
import io.braid.protocol.message.Unsubscribe;
import io.braid.protocol.mux.ErrorCode;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.ControlledStore;
import io.braid.pubsub.store.StoreException;
import io.braid.server.config.BrokerConfig;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.frontend.DeferredLink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The subscription streams of a connection, with no socket: SUBACK, retained messages and deliveries in that order,
 * a credit stall that holds back only its own subscription, UNSUBSCRIBE, a RESET, reattaching after a reconnect, and
 * a persistent session's SUBACK and UNSUBACK only once the store holds the change.
 */
class SubscriptionStreamsTest {

  private final ControlledStore store = new ControlledStore();
  private final PartsFixture fixture = new PartsFixture(BrokerConfig.defaults(), store);
  private final ConnectedClient publisher = fixture.connect("publisher", false,
      new PublicationStreamsTest.IdleLink());
  private final List<String> disconnects = new ArrayList<>();
  private Wire wire;
  private ConnectedClient client;
  private SubscriptionStreams subscriptions;

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  /** Connects {@code clientId} on a new wire, its subscription streams behind the session's link. */
  private void connect(String clientId, boolean persistent) {
    wire = new Wire();
    DeferredLink link = new DeferredLink(cause -> disconnects.add(cause.name()));
    client = fixture.connect(clientId, persistent, link);
    PartsFixture.Control control = new PartsFixture.Control();
    subscriptions = new SubscriptionStreams(wire.server, client, fixture.frontEnd.subscribeGate(client), control,
        fixture.metrics, () -> false, Runnable::run);
    link.connect(subscriptions);
    SubscriptionStreams parts = subscriptions;
    wire.onServerMessage(received -> {
      BraidMessage message = received.message();
      if (message instanceof Subscribe subscribe) {
        parts.onSubscribe(received.streamId(), received.endStream(), subscribe);
      } else if (message instanceof Unsubscribe) {
        parts.onUnsubscribe(received.streamId());
      } else {
        parts.onAcknowledgement(received.streamId(), received.endStream(), message);
      }
    });
    wire.onServerStreamLayer(parts::onStreamClosed, id -> parts.resume());
  }

  private void publish(String topic, String payload, int qos, boolean retain) {
    publisher.session().publish(ApplicationMessage.of("publisher", topic, payload.getBytes(StandardCharsets.UTF_8),
        qos, retain), qos == 0 ? 0 : (int) (System.nanoTime() % 60_000) + 1);
    wire.settle();
  }

  private int subscribe(String filter, int qos) {
    int stream = wire.client.openStream();
    wire.clientSends(stream, Subscribe.of(filter, qos), false);
    return stream;
  }

  private List<String> payloadsOn(int stream) {
    return wire.toClient.stream().filter(received -> received.streamId() == stream)
        .map(Wire.Received::message).filter(Publish.class::isInstance)
        .map(message -> ((Publish) message).payload().toString()).toList();
  }

  @Test
  void theSubAckComesFirstThenTheRetainedMessageThenTheDeliveries() {
    connect("subscriber", false);
    publish("status", "retained", 1, true);
    int stream = subscribe("status", 1);
    publish("status", "live", 1, false);

    assertThat(wire.toClient).extracting(received -> received.message().getClass().getSimpleName())
        .containsExactly("SubAck", "Publish", "Publish");
    assertThat(wire.toClient.get(0).message()).isEqualTo(SubAck.of(ReasonCode.GRANTED_QOS_1));
    assertThat(payloadsOn(stream)).containsExactly("retained", "live");
  }

  @Test
  void aSubscriptionWithoutCreditHoldsBackOnlyItsOwnDeliveries() {
    connect("subscriber", false);
    int slow = subscribe("slow", 0);
    int fast = subscribe("fast", 0);
    wire.clientConsumes = false; // the client stops returning credit: the slow stream runs dry first

    for (int i = 0; i < 40; i++) {
      publish("slow", "s" + i, 0, false);
    }
    wire.clientConsumes = true;
    publish("fast", "f", 0, false);

    assertThat(payloadsOn(slow)).hasSize(31); // the SUBACK took one of the window's 32
    assertThat(payloadsOn(fast)).containsExactly("f");
  }

  @Test
  void unsubscribeIsAnsweredWithAnUnsubAckThatEndsTheStreamAndDeliveriesStop() {
    connect("subscriber", false);
    int stream = subscribe("news", 0);
    wire.clientSends(stream, new Unsubscribe(List.of()), true);
    publish("news", "after", 0, false);

    assertThat(wire.toClient).last().satisfies(received -> {
      assertThat(received.message()).isEqualTo(UnsubAck.of(ReasonCode.SUCCESS));
      assertThat(received.endStream()).isTrue();
    });
    assertThat(payloadsOn(stream)).isEmpty();
    assertThat(subscriptions.owns(stream)).isFalse();
    assertThat(client.session().subscriptions()).isEmpty();
  }

  @Test
  void aResetStreamUnsubscribesWithoutAnAnswer() {
    connect("subscriber", false);
    int stream = subscribe("news", 1);
    wire.client.reset(stream, ErrorCode.CANCEL);
    wire.settle();

    assertThat(client.session().subscriptions()).isEmpty();
    assertThat(wire.clientGot(UnsubAck.class)).isEmpty();
    assertThat(subscriptions.owns(stream)).isFalse();
  }

  @Test
  void aSecondSubscriptionToTheSameFilterOnTheConnectionIsRefusedAndEndsItsStream() {
    connect("subscriber", false);
    int first = subscribe("news", 0);
    int second = subscribe("news", 1);

    SubAck refused = wire.clientGot(SubAck.class).get(1);
    assertThat(refused.reasonCode()).isEqualTo(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
    assertThat(refused.reasonString()).isEqualTo("already subscribed to news on stream " + first
        + " of this connection");
    assertThat(wire.toClient).filteredOn(received -> received.streamId() == second).last()
        .extracting(Wire.Received::endStream).isEqualTo(true);
  }

  @Test
  void aPersistentSessionsSubAckWaitsUntilTheStoreHoldsTheSubscriptionAndDeliveriesWaitBehindIt() {
    connect("keeper", true);
    int stream = subscribe("jobs/#", 1);
    publish("jobs/1", "early", 1, false);
    assertThat(wire.toClient).as("nothing before the store's sync").isEmpty();

    syncStore();

    assertThat(wire.toClient).extracting(received -> received.message().getClass().getSimpleName())
        .containsExactly("SubAck", "Publish");
    assertThat(wire.toClient.get(0).message()).isEqualTo(SubAck.of(ReasonCode.GRANTED_QOS_1));
    assertThat(payloadsOn(stream)).containsExactly("early");
  }

  @Test
  void aSubscriptionTheStoreCannotKeepIsRefusedAndUndone() {
    connect("keeper", true);
    int stream = subscribe("jobs/#", 1);
    store.failSyncs(new StoreException("disk full", null));
    wire.settle();
    publish("jobs/1", "lost", 0, false);

    SubAck refused = wire.clientGot(SubAck.class).get(0);
    assertThat(refused.reasonCode()).isEqualTo(ReasonCode.UNSPECIFIED_ERROR);
    assertThat(refused.reasonString()).isEqualTo("the subscription could not be stored");
    assertThat(payloadsOn(stream)).isEmpty();
    assertThat(client.session().subscriptions()).isEmpty();
  }

  @Test
  void aPersistentSessionsUnsubAckWaitsUntilTheStoreHoldsTheChange() {
    connect("keeper", true);
    int stream = subscribe("jobs/#", 1);
    syncStore();
    wire.clientSends(stream, new Unsubscribe(List.of()), true);
    assertThat(wire.clientGot(UnsubAck.class)).isEmpty();

    syncStore();

    assertThat(wire.clientGot(UnsubAck.class)).containsExactly(UnsubAck.of(ReasonCode.SUCCESS));
  }

  @Test
  void aCleanSessionsSubAckDoesNotWaitForTheStore() {
    connect("visitor", false);
    subscribe("jobs/#", 1);

    assertThat(wire.clientGot(SubAck.class)).containsExactly(SubAck.of(ReasonCode.GRANTED_QOS_1));
  }

  private void syncStore() {
    store.completeSyncs();
    wire.settle();
  }

  @Test
  void afterAReconnectTheQueuedMessagesFlowOnceTheSubscriptionIsReattached() {
    connect("keeper", true);
    subscribe("jobs/#", 1);
    connect("keeper", true); // a new connection takes the session over; the old one is gone
    publish("jobs/1", "queued", 1, false);
    assertThat(wire.toClient).isEmpty(); // not reattached yet: the message waits

    int stream = wire.client.openStream();
    wire.clientSends(stream, new Subscribe("jobs/#", new SubscribeOptions(1, false, false,
        SubscribeOptions.SEND_RETAINED_IF_NEW), BraidMessage.ABSENT, List.of()), false);
    syncStore();

    assertThat(payloadsOn(stream)).containsExactly("queued");
    Publish delivery = (Publish) wire.toClient.get(1).message();
    wire.clientSends(stream, PubAck.of(delivery.packetId()), false);
    assertThat(fixture.broker.sessions()).filteredOn(info -> info.clientId().equals("keeper"))
        .singleElement().satisfies(info -> assertThat(info.queuedMessages()).isZero());
  }
}
