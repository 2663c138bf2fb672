package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Ping;
import io.braid.protocol.message.Pong;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.mux.StreamFrame;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A publisher gets credit for more publishes only as fast as it takes their acknowledgements (PROTOCOL.md 8.4): a
 * client that withholds credit from the server's answers stops getting credit to publish, so what the server owes
 * it is bounded by the connection's window instead of growing without end.
 */
class PublisherCreditIT {

  /** The broker's windows, pinned to the protocol's defaults: 32 frames per stream, 256 per connection. */
  private static final int STREAM_WINDOW = 32;
  private static final int STREAMS = 8;

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension("limits.publishRatePerClient", "0",
      "limits.streamWindow", "32", "limits.connectionWindow", "256");

  @ParameterizedTest
  @ValueSource(strings = {BrokerTestClient.BINARY, BrokerTestClient.JSON})
  void aPublisherThatWithholdsCreditForItsAcknowledgementsGetsNoCreditForMorePublishes(String subprotocol) {
    try (BrokerTestClient publisher = BrokerTestClient.connected(broker.port(), subprotocol,
        Connect.builder("hoarder").cleanStart(true).keepAlive(60).build())) {
      // round 1: a window on each of 8 streams; the acknowledgements use all of the server's credit (256)
      publishWindowOnEachStream(publisher, 1);
      Frames first = readUntilPong(publisher, 1);
      assertThat(first.acks).hasSize(STREAMS * STREAM_WINDOW);
      assertThat(first.credit).as("credit back for the answered publishes").containsEntry(0, STREAMS * STREAM_WINDOW);

      // round 2: the server cannot send these acknowledgements, so it must not return their credit
      publishWindowOnEachStream(publisher, STREAM_WINDOW + 1);
      Frames second = readUntilPong(publisher, 2);
      assertThat(second.acks).as("no credit for the answers").isEmpty();
      assertThat(second.credit).as("credit the server gave while it owed 256 answers").isEmpty();

      // the client takes its answers: they come, and so does the credit for the next publishes
      for (int i = 0; i < STREAMS; i++) {
        publisher.grant(1 + 2 * i, STREAM_WINDOW);
      }
      publisher.grant(0, STREAMS * STREAM_WINDOW);
      Frames third = readUntilPong(publisher, 3);
      assertThat(third.acks).hasSize(STREAMS * STREAM_WINDOW);
      assertThat(third.credit).containsEntry(0, STREAMS * STREAM_WINDOW);
    }
  }

  private static void publishWindowOnEachStream(BrokerTestClient publisher, int firstPacketId) {
    for (int i = 0; i < STREAMS; i++) {
      for (int n = 0; n < STREAM_WINDOW; n++) {
        publisher.send(1 + 2 * i, false, Publish.of("hoard/" + i, Buffer.buffer("m"), 1, firstPacketId + n));
      }
    }
  }

  /**
   * Sends a PING and reads until its PONG: the broker handles messages in order and decides these acknowledgements
   * at once (no subscriber), so whatever it sends because of the publishes comes before the PONG.
   */
  private static Frames readUntilPong(BrokerTestClient client, int round) {
    Buffer marker = Buffer.buffer("round " + round);
    client.send(0, false, new Ping(marker));
    Frames frames = new Frames();
    while (true) {
      StreamFrame frame = client.nextFrame();
      if (frame instanceof StreamFrame.WindowUpdate update) {
        frames.credit.merge(update.streamId(), update.increment(), Integer::sum);
      } else if (frame instanceof StreamFrame.Data data) {
        Object message = client.decode(data.payload());
        if (message instanceof Pong pong && pong.data().equals(marker)) {
          return frames;
        }
        assertThat(message).isInstanceOf(PubAck.class);
        frames.acks.add((PubAck) message);
      }
    }
  }

  /** What the server sent in one round: acknowledgements, and credit per stream (0: the connection). */
  private static final class Frames {
    final List<PubAck> acks = new ArrayList<>();
    final Map<Integer, Integer> credit = new HashMap<>();
  }
}
