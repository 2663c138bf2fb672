package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Ping;
import io.braid.protocol.message.Pong;
import io.braid.protocol.message.Publish;
import io.braid.protocol.mux.StreamFrame;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's heap while a publisher hoards credit: it reads its socket but never returns the credit that the
 * server's acknowledgements use. Before the fix such a client kept getting credit for more publishes while the
 * server queued the acknowledgements it could not send (4 million in a minute, 244 MB of heap); now the server holds
 * at most a connection window of them. Counted in the heap of a {@code braid-server} child JVM with {@code jcmd}.
 */
class HoardingPublisherMemoryIT {

  private static final int STREAMS = 8;
  /** The broker's windows, set to the protocol's defaults for this test. */
  private static final int STREAM_WINDOW = 32;
  private static final int CONNECTION_WINDOW = 256;
  /** The most publishes tried: far more than two windows, so an unbounded server shows it. */
  private static final int ATTEMPTS = 20_000;

  private ChildBroker broker;

  @AfterEach
  void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theServerHoldsAtMostAWindowOfUnsentAcknowledgements() throws Exception {
    broker = ChildBroker.start("--set", "store.type=memory", "--set", "limits.publishRatePerClient=0",
        "--set", "limits.streamWindow=" + STREAM_WINDOW, "--set", "limits.connectionWindow=" + CONNECTION_WINDOW);
    try (BrokerTestClient hoarder = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder("hoarder").cleanStart(true).keepAlive(60).build())) {
      int[] credit = new int[STREAMS];
      Arrays.fill(credit, STREAM_WINDOW);
      int connectionCredit = CONNECTION_WINDOW;
      int published = 0;
      boolean granted = true;
      while (granted && published < ATTEMPTS) {
        for (int i = 0; i < STREAMS; i++) {
          while (credit[i] > 0 && connectionCredit > 0 && published < ATTEMPTS) {
            published++;
            hoarder.send(1 + 2 * i, false, Publish.of("hoard/" + i, Buffer.buffer("m"), 1, 1 + published % 65_000));
            credit[i]--;
            connectionCredit--;
          }
        }
        int before = connectionCredit;
        connectionCredit += creditUntilPong(hoarder, credit, published);
        granted = connectionCredit > before;
      }

      assertThat(published).as("publishes the server gave credit for").isEqualTo(2 * CONNECTION_WINDOW);
      assertThat(broker.liveInstances("io.braid.protocol.message.PubAck"))
          .as("acknowledgements held in the broker's heap").isLessThanOrEqualTo(CONNECTION_WINDOW);
    }
  }

  /** Reads until the PONG of a PING sent now, adding stream credit to {@code credit}; returns connection credit. */
  private static int creditUntilPong(BrokerTestClient client, int[] credit, int round) {
    Buffer marker = Buffer.buffer("after " + round);
    client.send(0, false, new Ping(marker));
    int connection = 0;
    while (true) {
      StreamFrame frame = client.nextFrame();
      if (frame instanceof StreamFrame.WindowUpdate update) {
        if (update.streamId() == 0) {
          connection += update.increment();
        } else {
          credit[(update.streamId() - 1) / 2] += update.increment();
        }
      } else if (frame instanceof StreamFrame.Data data) {
        BraidMessage message = client.decode(data.payload());
        if (message instanceof Pong pong && pong.data().equals(marker)) {
          return connection;
        }
      }
    }
  }
}
