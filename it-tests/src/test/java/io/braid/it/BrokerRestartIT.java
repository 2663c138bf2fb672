package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.protocol.ws.CloseCodes;
import io.braid.server.BrokerRuntime;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped and started again on the same data directory keeps every session, subscription, retained
 * message and queued QoS 1 message it acknowledged: after a graceful stop (in process), and after {@code kill -9} of
 * the {@code braid-server} main class in a child JVM, which gets no chance to flush anything.
 */
class BrokerRestartIT {

  private static final String QUEUED_TOPIC = "restart/queue";
  private static final int QUEUED = 50;

  @TempDir
  Path dataDirectory;
  private BrokerRuntime broker;
  private ChildBroker child;

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
    if (child != null) {
      child.close();
    }
  }

  private BrokerRuntime startInProcess() {
    return TestBrokers.start("store.type", "mvstore", "store.dataDir", dataDirectory.toString());
  }

  @Test
  void aGracefulRestartKeepsSessionsSubscriptionsRetainedAndQueuedMessages() throws Exception {
    broker = startInProcess();
    prepare(broker.port());
    TestBrokers.stop(broker);

    broker = startInProcess();

    verify(broker.port());
  }

  @Test
  void aRestartAfterKill9KeepsEverythingAcknowledged() throws Exception {
    child = startChild();
    prepare(child.port());

    child.kill9();

    child = startChild();
    verify(child.port());
  }

  /**
   * A persistent subscriber of {@code restart/#} leaves; a publisher sets a retained message and, once the
   * subscriber is away, publishes {@link #QUEUED} QoS 1 messages, each acknowledged.
   */
  private void prepare(int port) {
    Connect keeper = Connect.builder("keeper").keepAlive(60).sessionExpiryInterval(86_400).build();
    try (BrokerTestClient subscriber = BrokerTestClient.connected(port, BrokerTestClient.BINARY, keeper)) {
      subscriber.send(1, false, Subscribe.of("restart/#", 1));
      assertThat(subscriber.nextMessageOn(1)).isInstanceOf(SubAck.class);
      subscriber.send(0, false, Disconnect.of(ReasonCode.NORMAL_DISCONNECTION));
      subscriber.expectClose(CloseCodes.NORMAL);
    }
    try (EndpointTestClient publisher = EndpointTestClient.connected(port, BrokerTestClient.BINARY,
        Connect.builder("publisher").cleanStart(true).keepAlive(60).build())) {
      int stream = publisher.openStream();
      publisher.send(stream, Publish.builder("restart/retained", Buffer.buffer("kept")).qos(1, 1).retain(true)
          .build(), false);
      for (int i = 0; i < QUEUED; i++) {
        publisher.send(stream, Publish.of(QUEUED_TOPIC, Buffer.buffer("m" + i), 1, i + 2), false);
      }
      for (int i = 0; i <= QUEUED; i++) {
        PubAck ack = (PubAck) publisher.next().message();
        assertThat(ack.packetId()).isEqualTo(i + 1);
        assertThat(ack.reasonCode()).isZero(); // success: someone (the keeper's session) holds it
      }
    }
  }

  /** The keeper's session, its subscription and its queue, and the retained message, all came back. */
  private void verify(int port) {
    Connect keeper = Connect.builder("keeper").keepAlive(60).sessionExpiryInterval(86_400).build();
    try (EndpointTestClient subscriber = EndpointTestClient.connected(port, BrokerTestClient.BINARY, keeper)) {
      assertThat(subscriber.connAck().sessionPresent()).as("the session survived").isTrue();
      // reattach: retain handling 1 sends retained messages only for a new subscription, and this one is not
      int stream = subscriber.subscribe(new Subscribe("restart/#", new SubscribeOptions(1, false, false,
          SubscribeOptions.SEND_RETAINED_IF_NEW), BraidMessage.ABSENT, List.of()));
      // the retained publish reached the keeper's session as any publish does, before the queued ones
      List<String> payloads = new ArrayList<>();
      while (payloads.size() < QUEUED + 1) {
        EndpointTestClient.Received received = subscriber.peek();
        assertThat(received.streamId()).isEqualTo(stream);
        Publish delivery = (Publish) received.message();
        assertThat(delivery.dup()).as("DUP of %s, never sent before the restart", delivery.payload()).isFalse();
        payloads.add(delivery.topic() + " " + delivery.payload());
        subscriber.answer(stream, PubAck.of(delivery.packetId()));
      }
      List<String> expected = new ArrayList<>(List.of("restart/retained kept"));
      for (int i = 0; i < QUEUED; i++) {
        expected.add(QUEUED_TOPIC + " m" + i);
      }
      assertThat(payloads).as("every acknowledged message, once, in order").isEqualTo(expected);
    }
    try (BrokerTestClient newcomer = BrokerTestClient.connected(port, BrokerTestClient.BINARY,
        Connect.builder("newcomer").cleanStart(true).keepAlive(60).build())) {
      newcomer.send(1, false, Subscribe.of("restart/retained", 1));
      assertThat(newcomer.nextMessageOn(1)).isInstanceOf(SubAck.class);
      Publish retained = (Publish) newcomer.nextMessageOn(1);
      assertThat(retained.retain()).isTrue();
      assertThat(retained.payload().toString()).isEqualTo("kept");
    }
  }

  private ChildBroker startChild() throws Exception {
    return ChildBroker.start("--data-dir", dataDirectory.toString());
  }
}
