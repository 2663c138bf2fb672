package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.Connect;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.StreamFrame;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client's packet identifiers are per session, as in MQTT (PROTOCOL.md 8.4): a QoS 2 identifier still held by an
 * unreleased exchange on an open stream of the connection is refused on another stream with PUBREC 0x91, never
 * taken silently for a retransmission; once its stream is gone, or after a reconnect, it is a retransmission.
 */
class PacketIdentifierIT {

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension();

  private BrokerTestClient client(String subprotocol, String clientId) {
    return BrokerTestClient.connected(broker.port(), subprotocol,
        Connect.builder(clientId).cleanStart(true).keepAlive(60).build());
  }

  private static BrokerTestClient subscribed(BrokerTestClient subscriber) {
    subscriber.send(1, false, Subscribe.of("ids/#", 2));
    assertThat(subscriber.nextMessageOn(1)).isEqualTo(SubAck.of(ReasonCode.GRANTED_QOS_2));
    return subscriber;
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void aQos2IdentifierInUseOnAnotherOpenStreamIsRefusedWith0x91NotLost(String subprotocol) {
    try (BrokerTestClient subscriber = subscribed(client(subprotocol, "sub"));
        BrokerTestClient publisher = client(subprotocol, "pub")) {
      publisher.send(1, false, Publish.of("ids/a", Buffer.buffer("first"), 2, 7));
      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubRec.of(7));

      publisher.send(3, false, Publish.of("ids/b", Buffer.buffer("second"), 2, 7));
      PubRec refused = (PubRec) publisher.nextMessageOn(3);
      assertThat(refused.reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_IN_USE);
      assertThat(refused.reasonString()).contains("in use").contains("stream 1");

      publisher.send(1, false, PubRel.of(7));
      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubComp.of(7));
      publisher.send(3, false, Publish.of("ids/b", Buffer.buffer("second, again"), 2, 7)); // free now
      assertThat(publisher.nextMessageOn(3)).isEqualTo(PubRec.of(7));
      publisher.send(3, false, PubRel.of(7));
      assertThat(publisher.nextMessageOn(3)).isEqualTo(PubComp.of(7));

      assertThat(((Publish) subscriber.nextMessageOn(1)).payload().toString()).isEqualTo("first");
      assertThat(((Publish) subscriber.nextMessageOn(1)).payload().toString()).isEqualTo("second, again");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void theSameIdentifierAfterItsStreamWasResetIsARetransmissionDeliveredOnce(String subprotocol) {
    try (BrokerTestClient subscriber = subscribed(client(subprotocol, "sub"));
        BrokerTestClient publisher = client(subprotocol, "pub")) {
      publisher.send(1, false, Publish.of("ids/a", Buffer.buffer("once"), 2, 9));
      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubRec.of(9));
      publisher.send(new StreamFrame.Reset(1, ErrorCode.CANCEL));

      publisher.send(3, false, Publish.builder("ids/a", Buffer.buffer("once")).qos(2, 9).dup(true).build());
      assertThat(publisher.nextMessageOn(3)).isEqualTo(PubRec.of(9));
      publisher.send(3, false, PubRel.of(9));
      assertThat(publisher.nextMessageOn(3)).isEqualTo(PubComp.of(9));
      publisher.send(5, false, Publish.of("ids/a", Buffer.buffer("next"), 2, 10));
      assertThat(publisher.nextMessageOn(5)).isEqualTo(PubRec.of(10));

      assertThat(((Publish) subscriber.nextMessageOn(1)).payload().toString()).isEqualTo("once");
      assertThat(((Publish) subscriber.nextMessageOn(1)).payload().toString()).as("no second 'once'")
          .isEqualTo("next");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void aPubrelMayOpenAStreamToCompleteTheExchangeOfAnEarlierConnection(String subprotocol) {
    Connect persistent = Connect.builder("resumer").cleanStart(false).sessionExpiryInterval(600).keepAlive(60)
        .build();
    try (BrokerTestClient subscriber = subscribed(client(subprotocol, "sub"))) {
      try (BrokerTestClient first = BrokerTestClient.connected(broker.port(), subprotocol, persistent)) {
        first.send(1, false, Publish.of("ids/a", Buffer.buffer("held"), 2, 11));
        assertThat(first.nextMessageOn(1)).isEqualTo(PubRec.of(11));
      } // gone before its PUBREL

      try (BrokerTestClient second = BrokerTestClient.connected(broker.port(), subprotocol, persistent)) {
        second.send(1, false, PubRel.of(11)); // the first message of the connection, opening stream 1

        assertThat(second.nextMessageOn(1)).isEqualTo(PubComp.of(11));
        second.send(1, false, Publish.of("ids/a", Buffer.buffer("after"), 2, 11)); // the identifier is free again
        assertThat(second.nextMessageOn(1)).isEqualTo(PubRec.of(11));
      }
      assertThat(((Publish) subscriber.nextMessageOn(1)).payload().toString()).isEqualTo("held");
      assertThat(((Publish) subscriber.nextMessageOn(1)).payload().toString()).isEqualTo("after");
    }
  }
}
