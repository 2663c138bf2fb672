package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.ConnectWill;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.Ping;
import io.braid.protocol.message.Pong;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.protocol.message.UnsubAck;
import io.braid.protocol.message.Unsubscribe;
import io.braid.protocol.message.UserProperty;
import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.Opcode;
import io.braid.server.BrokerRuntime;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker's sessions over real sockets, driven by the raw protocol client, the same in both subprotocols:
 * subscribe and publish at every QoS, retained messages, unsubscribe, resuming a persistent session, takeover,
 * wills, keep-alive and per-subscription flow control.
 */
class BrokerSessionIT {

  private BrokerRuntime broker;

  @BeforeEach
  void start() {
    broker = TestBrokers.start("sessions.maxKeepAliveSeconds", "60");
  }

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
  }

  private BrokerTestClient client(String subprotocol, String clientId) {
    return BrokerTestClient.connected(broker.port(), subprotocol,
        Connect.builder(clientId).cleanStart(true).keepAlive(30).build());
  }

  private static Buffer text(String text) {
    return Buffer.buffer(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void deliversAQos1PublishOnTheSubscriptionsStreamAndAcknowledgesItOnThePublicationStream(String subprotocol) {
    try (BrokerTestClient subscriber = client(subprotocol, "sub");
        BrokerTestClient publisher = client(subprotocol, "pub")) {
      subscriber.send(1, false, Subscribe.of("home/+/temp", 1));
      assertThat(subscriber.nextMessageOn(1)).isEqualTo(SubAck.of(ReasonCode.GRANTED_QOS_1));

      publisher.send(1, true, Publish.of("home/kitchen/temp", text("21.5"), 1, 7));

      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubAck.of(7));
      Publish delivery = (Publish) subscriber.nextMessageOn(1);
      assertThat(delivery.topic()).isEqualTo("home/kitchen/temp");
      assertThat(delivery.payload().toString()).isEqualTo("21.5");
      assertThat(delivery.qos()).isEqualTo(1);
      subscriber.send(1, false, PubAck.of(delivery.packetId()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void runsBothQos2ExchangesToTheEnd(String subprotocol) {
    try (BrokerTestClient subscriber = client(subprotocol, "sub");
        BrokerTestClient publisher = client(subprotocol, "pub")) {
      subscriber.send(1, false, Subscribe.of("t", 2));
      subscriber.nextMessageOn(1);

      publisher.send(1, false, Publish.of("t", text("once"), 2, 9));
      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubRec.of(9));
      publisher.send(1, true, PubRel.of(9));
      assertThat(publisher.nextMessage()).satisfies(received -> {
        assertThat(received.message()).isEqualTo(PubComp.of(9));
        assertThat(received.endStream()).as("the last answer ends the stream the client ended").isTrue();
      });

      Publish delivery = (Publish) subscriber.nextMessageOn(1);
      assertThat(delivery.qos()).isEqualTo(2);
      subscriber.send(1, false, PubRec.of(delivery.packetId()));
      assertThat(subscriber.nextMessageOn(1)).isEqualTo(PubRel.of(delivery.packetId()));
      subscriber.send(1, false, PubComp.of(delivery.packetId()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void sendsTheRetainedMessageAfterTheSubAck(String subprotocol) {
    try (BrokerTestClient publisher = client(subprotocol, "pub")) {
      publisher.send(1, true, Publish.builder("status/door", text("open")).qos(1, 1).retain(true).build());
      assertThat(publisher.nextMessageOn(1)).isInstanceOf(PubAck.class);
    }
    try (BrokerTestClient subscriber = client(subprotocol, "sub")) {
      subscriber.send(1, false, Subscribe.of("status/#", 1));

      assertThat(subscriber.nextMessageOn(1)).isInstanceOf(SubAck.class);
      Publish retained = (Publish) subscriber.nextMessageOn(1);
      assertThat(retained.retain()).isTrue();
      assertThat(retained.payload().toString()).isEqualTo("open");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void unsubscribeClosesTheStreamAndEndsTheDeliveries(String subprotocol) {
    try (BrokerTestClient subscriber = client(subprotocol, "sub");
        BrokerTestClient publisher = client(subprotocol, "pub")) {
      subscriber.send(1, false, Subscribe.of("t", 0));
      subscriber.nextMessageOn(1);
      subscriber.send(3, false, Subscribe.of("marker", 0));
      subscriber.nextMessageOn(3);

      subscriber.send(1, true, new Unsubscribe());
      BrokerTestClient.Received unsubAck = subscriber.nextMessage();
      assertThat(unsubAck.message()).isEqualTo(UnsubAck.of(ReasonCode.SUCCESS));
      assertThat(unsubAck.endStream()).isTrue();

      publisher.send(1, false, Publish.of("t", text("after"), 0, 0));
      publisher.send(1, false, Publish.of("marker", text("marker"), 0, 0));
      BrokerTestClient.Received next = subscriber.nextMessage();
      assertThat(next.streamId()).as("nothing more on the closed subscription").isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void aResumedSessionGetsWhatWasQueuedOnceTheSubscriptionIsReattached(String subprotocol) {
    Connect persistent = Connect.builder("keeper").keepAlive(30).sessionExpiryInterval(3600).build();
    try (BrokerTestClient first = BrokerTestClient.connected(broker.port(), subprotocol, persistent)) {
      first.send(1, false, Subscribe.of("jobs/#", 1));
      first.nextMessageOn(1);
      first.send(0, false, Disconnect.of(ReasonCode.NORMAL_DISCONNECTION));
      first.expectClose(CloseCodes.NORMAL);
    }
    try (BrokerTestClient publisher = client(subprotocol, "pub")) {
      for (int i = 1; i <= 3; i++) {
        publisher.send(1, false, Publish.of("jobs/" + i, text("job" + i), 1, i));
        publisher.nextMessageOn(1);
      }
    }
    try (BrokerTestClient again = BrokerTestClient.open(broker.port(), subprotocol)) {
      ConnAck connAck = again.connect(persistent);
      assertThat(connAck.sessionPresent()).isTrue();

      again.send(1, false, new Subscribe("jobs/#", new SubscribeOptions(1, false, false,
          SubscribeOptions.SEND_RETAINED_IF_NEW), BraidMessage.ABSENT, List.of()));
      assertThat(again.nextMessageOn(1)).isInstanceOf(SubAck.class);
      List<String> payloads = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Publish delivery = (Publish) again.nextMessageOn(1);
        payloads.add(delivery.payload().toString());
        again.send(1, false, PubAck.of(delivery.packetId()));
      }
      assertThat(payloads).containsExactly("job1", "job2", "job3");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void aSecondConnectionTakesTheSessionOverAndTheFirstIsToldWhy(String subprotocol) {
    try (BrokerTestClient first = client(subprotocol, "same");
        BrokerTestClient second = client(subprotocol, "same")) {
      List<BraidMessage> last = first.expectClose(CloseCodes.NORMAL);

      assertThat(last).last().isInstanceOf(Disconnect.class)
          .extracting(message -> ((Disconnect) message).reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
      second.send(0, false, new Ping(Buffer.buffer()));
      assertThat(second.nextMessageOn(0)).isInstanceOf(Pong.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void publishesTheWillWhenTheConnectionDropsWithoutDisconnect(String subprotocol) {
    try (BrokerTestClient watcher = client(subprotocol, "watcher")) {
      watcher.send(1, false, Subscribe.of("wills/#", 1));
      watcher.nextMessageOn(1);
      BrokerTestClient mortal = BrokerTestClient.connected(broker.port(), subprotocol,
          Connect.builder("mortal").cleanStart(true).keepAlive(30)
              .will(ConnectWill.of("wills/mortal", text("gone"), 1)).build());

      mortal.close(); // TCP closed, no DISCONNECT, no close frame

      Publish will = (Publish) watcher.nextMessageOn(1);
      assertThat(will.topic()).isEqualTo("wills/mortal");
      assertThat(will.payload().toString()).isEqualTo("gone");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void closesAClientSilentForOneAndAHalfTimesItsKeepAlive(String subprotocol) {
    try (BrokerTestClient silent = BrokerTestClient.connected(broker.port(), subprotocol,
        Connect.builder("silent").cleanStart(true).keepAlive(1).build())) {
      long start = System.nanoTime();

      List<BraidMessage> last = silent.expectClose(CloseCodes.POLICY_VIOLATION);

      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(last).last().isInstanceOf(Disconnect.class)
          .extracting(message -> ((Disconnect) message).reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT);
      assertThat(elapsedMillis).isBetween(1_400L, 4_000L);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void aSubscriptionWithoutCreditHoldsOnlyItsOwnDeliveries(String subprotocol) {
    int window = StreamSettings.DEFAULTS.initialStreamWindow();
    try (BrokerTestClient subscriber = client(subprotocol, "sub");
        BrokerTestClient publisher = client(subprotocol, "pub")) {
      subscriber.send(1, false, Subscribe.of("slow", 0));
      subscriber.nextMessageOn(1);
      subscriber.send(3, false, Subscribe.of("fast", 0));
      subscriber.nextMessageOn(3);

      for (int i = 0; i < window + 10; i++) {
        publisher.send(1, false, Publish.of("slow", text("s" + i), 0, 0));
      }
      publisher.send(1, false, Publish.of("fast", text("f"), 0, 0));

      int slow = 0;
      boolean fast = false;
      while (!fast) {
        BrokerTestClient.Received received = subscriber.nextMessage();
        if (received.streamId() == 1) {
          slow++;
        } else {
          fast = true;
        }
      }
      // the SUBACK took one credit of the slow stream: window - 1 deliveries at most before more credit
      assertThat(slow).isLessThanOrEqualTo(window - 1);
      subscriber.grant(1, 100);
      subscriber.grant(0, 100);
      while (slow < window + 10) {
        assertThat(subscriber.nextMessageOn(1)).isInstanceOf(Publish.class);
        slow++;
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void answersAPingWithAPongCarryingItsData(String subprotocol) {
    try (BrokerTestClient client = client(subprotocol, "pinger")) {
      client.send(0, false, new Ping(Buffer.buffer(new byte[] {1, 2, 3})));

      assertThat(client.nextMessageOn(0)).isEqualTo(new Pong(Buffer.buffer(
          new byte[] {1, 2, 3})));
    }
  }

  @org.junit.jupiter.api.Test
  void acknowledgesPublishesInTheOrderTheyArrivedWhateverOrderTheyAreDecidedIn(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDirectory) throws Exception {
    TestBrokers.stop(broker);
    broker = TestBrokers.start("store.type", "mvstore", "store.dataDir", dataDirectory.toString());
    try (BrokerTestClient keeper = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder("keeper").keepAlive(30).sessionExpiryInterval(600).build());
        BrokerTestClient publisher = client(BrokerTestClient.BINARY, "pub")) {
      keeper.send(1, false, Subscribe.of("durable", 1));
      keeper.nextMessageOn(1);
      // in one WebSocket message: the first waits for the disk (a persistent subscriber), the second does not
      Buffer batch = Buffer.buffer();
      BinaryFrameCodec.encode(new StreamFrame.Data(1, false,
          BinaryMessageCodec.INSTANCE.encode(Publish.of("durable", text("a"), 1, 1))), batch);
      BinaryFrameCodec.encode(new StreamFrame.Data(1, false,
          BinaryMessageCodec.INSTANCE.encode(Publish.of("nobody", text("b"), 1, 2))), batch);
      publisher.sendWebSocket(Opcode.BINARY, batch);

      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubAck.of(1));
      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubAck.of(2, ReasonCode.NO_MATCHING_SUBSCRIBERS));
    }
  }

  @org.junit.jupiter.api.Test
  void aStreamUnsubscribedWithoutEndStreamStaysUsableUntilTheClientEndsItThenFreesItsSlot() throws Exception {
    TestBrokers.stop(broker);
    broker = TestBrokers.start("limits.maxStreamsPerConnection", "1");
    try (BrokerTestClient client = client(BrokerTestClient.BINARY, "tidy")) {
      client.send(1, false, Subscribe.of("t", 1));
      client.nextMessageOn(1);
      client.send(1, false, new Unsubscribe());
      BrokerTestClient.Received unsubAck = client.nextMessage();
      assertThat(unsubAck.message()).isEqualTo(UnsubAck.of(ReasonCode.SUCCESS));
      assertThat(unsubAck.endStream()).isTrue();

      client.send(1, true, PubAck.of(9)); // a late acknowledgement, ending the client's side

      client.send(3, false, Subscribe.of("u", 0));
      assertThat(client.nextMessageOn(3)).as("stream 1's slot is free again").isInstanceOf(SubAck.class);
    }
    org.awaitility.Awaitility.await().untilAsserted(() ->
        assertThat(TestBrokers.metric(broker, "braid_streams")).isZero());
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void theConnAckCarriesTheServersLimits(String subprotocol) {
    try (BrokerTestClient client = BrokerTestClient.open(broker.port(), subprotocol)) {
      ConnAck connAck = client.connect(Connect.builder("curious").cleanStart(true).keepAlive(0)
          .sessionExpiryInterval(30 * 24 * 3600L).build());

      assertThat(connAck.maximumMessageSize()).isEqualTo(1_048_576);
      assertThat(connAck.serverKeepAlive()).as("keep-alive 0 is lowered to the maximum").isEqualTo(60);
      assertThat(connAck.sessionExpiryInterval()).as("30 days lowered to the maximum").isEqualTo(7 * 24 * 3600L);
      assertThat(connAck.userProperties()).contains(
          new UserProperty("braid.maxSubscriptions", "100"),
          new UserProperty("braid.maxTopicLevels", "32"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void assignsAClientIdentifierWhenTheClientSendsNone(String subprotocol) {
    try (BrokerTestClient client = BrokerTestClient.open(broker.port(), subprotocol)) {
      ConnAck connAck = client.connect(Connect.builder("").cleanStart(true).keepAlive(30).build());

      assertThat(connAck.reasonCode()).isZero();
      assertThat(connAck.assignedClientId()).startsWith("braid-");
    }
  }
}
