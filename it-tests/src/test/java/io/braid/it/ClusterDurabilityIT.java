package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clustered brokers in child JVMs: a QoS 1 message published on node A for a persistent session on node B is
 * acknowledged to its publisher only once B has made it durable (the session is offline, so no acknowledgement of
 * its client can come first), so a {@code kill -9} of B right after the last acknowledgement loses none of them:
 * once B is back on its data directory, the session has every one, in order.
 */
class ClusterDurabilityIT {

  private static final int MESSAGES = 200; // within one stream's window (256)

  @TempDir
  Path dataDirectory;
  private final List<ChildBroker> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ChildBroker node : nodes) {
      node.close();
    }
  }

  private ChildBroker start(int clusterPort, List<Integer> members, String... store) throws Exception {
    List<String> args = new ArrayList<>(List.of(store));
    args.addAll(TestClusters.nodeArgs(clusterPort, members));
    ChildBroker node = ChildBroker.start(args.toArray(String[]::new));
    nodes.add(node);
    return node;
  }

  @Test
  void aMessageAcknowledgedOnOneNodeSurvivesAKill9OfTheSubscribersNode() throws Exception {
    List<Integer> members = List.of(TestClusters.freePort(), TestClusters.freePort());
    ChildBroker a = start(members.get(0), members, "--memory");
    ChildBroker b = start(members.get(1), members, "--data-dir", dataDirectory.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> a.metric("braid_cluster_nodes") == 2);
    leaveWithASubscription(b.port());
    await().atMost(Duration.ofSeconds(30)).until(() -> a.metric("braid_cluster_routes") == 1);

    publishAcknowledged(a.port());
    b.kill9();

    ChildBroker restarted = start(members.get(1), members, "--data-dir", dataDirectory.toString());
    assertThat(receiveQueued(restarted.port())).as("every acknowledged message, once, in order")
        .isEqualTo(expected());
  }

  private static Connect keeper() {
    return Connect.builder("keeper").keepAlive(60).sessionExpiryInterval(86_400).build();
  }

  /** A persistent session on {@code port} subscribes to {@code durable/#} at QoS 1 and leaves. */
  private static void leaveWithASubscription(int port) {
    try (BrokerTestClient subscriber = BrokerTestClient.connected(port, BrokerTestClient.BINARY, keeper())) {
      subscriber.send(1, false, Subscribe.of("durable/#", 1));
      assertThat(subscriber.nextMessageOn(1)).isInstanceOf(SubAck.class);
      subscriber.send(0, false, Disconnect.of(ReasonCode.NORMAL_DISCONNECTION));
      subscriber.expectClose(CloseCodes.NORMAL);
    }
  }

  private static void publishAcknowledged(int port) {
    try (EndpointTestClient publisher = EndpointTestClient.connected(port, BrokerTestClient.BINARY,
        Connect.builder("publisher").cleanStart(true).keepAlive(60).build())) {
      int stream = publisher.openStream();
      for (int i = 0; i < MESSAGES; i++) {
        publisher.send(stream, Publish.of("durable/queue", Buffer.buffer("m" + i), 1, i + 1), false);
      }
      for (int i = 0; i < MESSAGES; i++) {
        PubAck ack = (PubAck) publisher.next().message();
        assertThat(ack.packetId()).isEqualTo(i + 1);
        assertThat(ack.reasonCode()).as("acknowledged: a session on the other node holds it").isZero();
      }
    }
  }

  private static List<String> receiveQueued(int port) {
    try (EndpointTestClient subscriber = EndpointTestClient.connected(port, BrokerTestClient.BINARY, keeper())) {
      assertThat(subscriber.connAck().sessionPresent()).as("the session survived").isTrue();
      int stream = subscriber.subscribe(new Subscribe("durable/#", new SubscribeOptions(1, false, false,
          SubscribeOptions.SEND_RETAINED_IF_NEW), BraidMessage.ABSENT, List.of()));
      List<String> payloads = new ArrayList<>();
      while (payloads.size() < MESSAGES) {
        EndpointTestClient.Received received = subscriber.peek();
        assertThat(received.streamId()).isEqualTo(stream);
        Publish delivery = (Publish) received.message();
        payloads.add(delivery.payload().toString());
        subscriber.answer(stream, PubAck.of(delivery.packetId()));
      }
      return payloads;
    }
  }

  private static List<String> expected() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      expected.add("m" + i);
    }
    return expected;
  }
}
