package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.Connect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.UserProperty;
import io.braid.protocol.mux.JsonFrameCodec;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.server.BrokerRuntime;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server honours the SETTINGS a client sends: it never sends a frame larger than the client's
 * {@code maxFramePayload}. A delivery that would be larger is not sent (MQTT 5 [MQTT-3.1.2-25]) and the
 * subscriber learns of it from the {@code braid.dropped} notice of the next one.
 */
class PeerSettingsIT {

  private static final StreamSettings SMALL_FRAMES = new StreamSettings(32, 256, 100, StreamSettings.MIN_FRAME_PAYLOAD);

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension();

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void aDeliveryLargerThanTheClientsMaxFramePayloadIsNotSentAndTheNextOneSaysSo(String subprotocol) {
    try (BrokerTestClient subscriber = BrokerTestClient.open(broker.port(), subprotocol);
        BrokerTestClient publisher = BrokerTestClient.connected(broker.port(), subprotocol,
            Connect.builder("pub").cleanStart(true).keepAlive(60).build())) {
      assertThat(subscriber.connect(Connect.builder("small").cleanStart(true).keepAlive(60).build(), SMALL_FRAMES)
          .reasonCode()).isZero();
      subscriber.send(1, false, Subscribe.of("sizes/#", 1));
      assertThat(subscriber.nextMessageOn(1)).isEqualTo(SubAck.of(ReasonCode.GRANTED_QOS_1));

      publisher.send(1, false, Publish.of("sizes/big", Buffer.buffer("x".repeat(5_000)), 1, 1));
      publisher.send(1, false, Publish.of("sizes/small", Buffer.buffer("fits"), 1, 2));
      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubAck.of(1));
      assertThat(publisher.nextMessageOn(1)).isEqualTo(PubAck.of(2));

      List<StreamFrame.Data> frames = new ArrayList<>();
      StreamFrame frame;
      do {
        frame = subscriber.nextSignificantFrame();
        frames.add((StreamFrame.Data) frame);
      } while (!(subscriber.decode(((StreamFrame.Data) frame).payload()) instanceof Publish));
      Publish delivered = (Publish) subscriber.decode(frames.get(frames.size() - 1).payload());
      assertThat(delivered.topic()).isEqualTo("sizes/small");
      assertThat(delivered.userProperties()).contains(new UserProperty("braid.dropped", "1"));
      // what maxFramePayload counts: a binary frame's payload, a JSON frame's whole text
      assertThat(frames).allSatisfy(data -> assertThat(BrokerTestClient.JSON.equals(subprotocol)
          ? JsonFrameCodec.encodedLength(data) : data.payload().length())
          .isLessThanOrEqualTo(StreamSettings.MIN_FRAME_PAYLOAD));
    }
  }

  @Test
  void theBrokerAdvertisesItsWindowsInItsSettings() throws Exception {
    BrokerRuntime windows = TestBrokers.start("limits.streamWindow", "500", "limits.connectionWindow", "5000");
    try (BrokerTestClient client = BrokerTestClient.open(windows.port(), BrokerTestClient.BINARY)) {
      StreamFrame first = client.nextFrame();
      assertThat(first).isInstanceOf(StreamFrame.Settings.class);
      StreamSettings advertised = ((StreamFrame.Settings) first).settings();
      assertThat(advertised.initialStreamWindow()).isEqualTo(500);
      assertThat(advertised.initialConnectionWindow()).isEqualTo(5000);
    } finally {
      TestBrokers.stop(windows);
    }
  }

  @Test
  void theBrokerAdvertisesWindowsLargerThanTheProtocolsByDefault() {
    // 256/2,048 (docs/BENCHMARKS.md 13): a client assumes the protocol's 32/256 until this SETTINGS arrives
    try (BrokerTestClient client = BrokerTestClient.open(broker.port(), BrokerTestClient.JSON)) {
      StreamSettings advertised = ((StreamFrame.Settings) client.nextFrame()).settings();
      assertThat(advertised.initialStreamWindow()).isEqualTo(256)
          .isGreaterThan(StreamSettings.DEFAULTS.initialStreamWindow());
      assertThat(advertised.initialConnectionWindow()).isEqualTo(2048)
          .isGreaterThan(StreamSettings.DEFAULTS.initialConnectionWindow());
    }
  }
}
