package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.RecoveryReport;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeStart;
import io.braid.protocol.message.TopicPosition;
import io.braid.server.BrokerRuntime;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic history over the wire: a subscriber that starts after the last position it saw, with the last N messages or
 * since a time gets the missed messages, then live ones, with an exact recovery report in its SUBACK; across a
 * graceful restart and a {@code kill -9} of a broker in a child JVM.
 */
class TopicHistoryIT {

  private static final String TOPIC = "chat/rooms/1";

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

  private BrokerRuntime start(String... more) {
    List<String> settings = new ArrayList<>(List.of("history.filters", "chat/#", "history.maxMessages", "10"));
    settings.addAll(List.of(more));
    return TestBrokers.start(settings.toArray(String[]::new));
  }

  @Test
  void aSubscriberResumingAfterItsLastPositionGetsWhatItMissedThenLiveMessages() {
    broker = start();
    List<TopicPosition> positions = publish(broker.port(), 5);
    try (EndpointTestClient subscriber = client(broker.port(), "resumer")) {
      SubscribeOutcome outcome = subscribe(subscriber, Subscribe.of(TOPIC, 1)
          .withStart(new SubscribeStart.After(positions.get(1))));
      assertThat(outcome.subAck.recovery()).isEqualTo(RecoveryReport.complete(positions.get(4)));
      assertThat(receive(subscriber, outcome.stream, 3)).extracting(Publish::position)
          .containsExactlyElementsOf(positions.subList(2, 5));
      List<TopicPosition> live = publish(broker.port(), 1);
      assertThat(receive(subscriber, outcome.stream, 1)).extracting(Publish::position).containsExactlyElementsOf(live);
      assertThat(live.get(0).offset()).as("the next offset of the same epoch").isEqualTo(6);
    }
  }

  @Test
  void aResumeOlderThanTheHistoryReportsTheTrimmedRangeAndSendsTheRest() {
    broker = start();
    List<TopicPosition> positions = publish(broker.port(), 15); // the history keeps 6..15
    try (EndpointTestClient subscriber = client(broker.port(), "late")) {
      SubscribeOutcome outcome = subscribe(subscriber, Subscribe.of(TOPIC, 1)
          .withStart(new SubscribeStart.After(positions.get(1))));
      assertThat(outcome.subAck.recovery()).isEqualTo(new RecoveryReport(RecoveryReport.Status.GAP, 3, 5,
          RecoveryReport.GapReason.TRIMMED, positions.get(14)));
      assertThat(receive(subscriber, outcome.stream, 10)).extracting(Publish::position)
          .containsExactlyElementsOf(positions.subList(5, 15));
    }
  }

  @Test
  void anUnknownEpochIsReportedAndTheWholeCurrentHistoryFollows() {
    broker = start();
    List<TopicPosition> positions = publish(broker.port(), 3);
    try (EndpointTestClient subscriber = client(broker.port(), "stale")) {
      SubscribeOutcome outcome = subscribe(subscriber, Subscribe.of(TOPIC, 1)
          .withStart(new SubscribeStart.After(new TopicPosition("0000000000000000", 2))));
      assertThat(outcome.subAck.recovery().status()).isEqualTo(RecoveryReport.Status.GAP);
      assertThat(outcome.subAck.recovery().reason()).isEqualTo(RecoveryReport.GapReason.EPOCH_CHANGED);
      assertThat(receive(subscriber, outcome.stream, 3)).extracting(Publish::position)
          .containsExactlyElementsOf(positions);
    }
  }

  @Test
  void theLastMessagesOfAWildcardSubscriptionComeInPublishOrder() {
    broker = start();
    publish(broker.port(), 2);
    try (EndpointTestClient publisher = client(broker.port(), "other-room")) {
      int stream = publisher.openStream();
      publisher.send(stream, Publish.of("chat/rooms/2", Buffer.buffer("x"), 1, 1), false);
      assertThat(publisher.next().message()).isInstanceOf(PubAck.class);
    }
    try (EndpointTestClient subscriber = client(broker.port(), "lobby")) {
      SubscribeOutcome outcome = subscribe(subscriber, Subscribe.of("chat/rooms/+", 1)
          .withStart(new SubscribeStart.Last(2)));
      assertThat(outcome.subAck.recovery().status()).isEqualTo(RecoveryReport.Status.COMPLETE);
      assertThat(receive(subscriber, outcome.stream, 2)).extracting(p -> p.topic() + " " + p.payload())
          .containsExactly(TOPIC + " m1", "chat/rooms/2 x");
    }
  }

  @Test
  void aTopicWithoutHistoryAnswersUnavailableAndDeliversLiveMessages() {
    broker = start();
    try (EndpointTestClient subscriber = client(broker.port(), "elsewhere")) {
      SubscribeOutcome outcome = subscribe(subscriber, Subscribe.of("news/today", 0)
          .withStart(new SubscribeStart.Last(5)));
      assertThat(outcome.subAck.recovery().status()).isEqualTo(RecoveryReport.Status.UNAVAILABLE);
      try (EndpointTestClient publisher = client(broker.port(), "news")) {
        publisher.send(publisher.openStream(), Publish.of("news/today", Buffer.buffer("n")), true);
      }
      Publish live = receive(subscriber, outcome.stream, 1).get(0);
      assertThat(live.position()).as("no history, no position").isNull();
    }
  }

  @Test
  void startAfterAPositionNeedsATopicName() {
    broker = start();
    try (EndpointTestClient subscriber = client(broker.port(), "wild")) {
      SubscribeOutcome outcome = subscribe(subscriber, Subscribe.of("chat/#", 1)
          .withStart(new SubscribeStart.After(new TopicPosition("e", 1))));
      assertThat(outcome.subAck.reasonCode()).isEqualTo(ReasonCode.TOPIC_FILTER_INVALID);
      assertThat(outcome.subAck.reasonString()).contains("startAfter");
    }
  }

  @Test
  void aGracefulRestartKeepsTheHistoryAndItsEpoch() throws Exception {
    broker = start("store.type", "mvstore", "store.dataDir", dataDirectory.toString());
    List<TopicPosition> before = publish(broker.port(), 4);
    TestBrokers.stop(broker);
    broker = start("store.type", "mvstore", "store.dataDir", dataDirectory.toString());
    List<TopicPosition> after = publish(broker.port(), 1);
    assertThat(after.get(0)).as("offsets go on in the same epoch").isEqualTo(new TopicPosition(before.get(0).epoch(), 5));
    try (EndpointTestClient subscriber = client(broker.port(), "back")) {
      SubscribeOutcome outcome = subscribe(subscriber, Subscribe.of(TOPIC, 1)
          .withStart(new SubscribeStart.After(before.get(0))));
      assertThat(outcome.subAck.recovery()).isEqualTo(RecoveryReport.complete(after.get(0)));
      assertThat(receive(subscriber, outcome.stream, 4)).extracting(p -> p.position().offset())
          .containsExactly(2L, 3L, 4L, 5L);
    }
  }

  @Test
  void afterKill9EveryAcknowledgedMessageIsRecoveredAndTheOffsetsThatMayBeLostAreReported() throws Exception {
    child = ChildBroker.start("--data-dir", dataDirectory.toString(), "--set", "history.filters=chat/#");
    List<TopicPosition> before = publish(child.port(), 4);
    child.kill9();
    child = ChildBroker.start("--data-dir", dataDirectory.toString(), "--set", "history.filters=chat/#");
    List<TopicPosition> after = publish(child.port(), 1);
    assertThat(after.get(0).epoch()).isEqualTo(before.get(0).epoch());
    assertThat(after.get(0).offset()).as("never an offset that may have been handed out").isGreaterThan(4);
    try (EndpointTestClient subscriber = client(child.port(), "survivor")) {
      SubscribeOutcome outcome = subscribe(subscriber, Subscribe.of(TOPIC, 1)
          .withStart(new SubscribeStart.After(before.get(0))));
      RecoveryReport recovery = outcome.subAck.recovery();
      assertThat(recovery.status()).isEqualTo(RecoveryReport.Status.GAP);
      assertThat(recovery.reason()).isEqualTo(RecoveryReport.GapReason.LOST);
      assertThat(recovery.gapFrom()).isEqualTo(5);
      assertThat(recovery.gapTo()).isEqualTo(after.get(0).offset() - 1);
      assertThat(receive(subscriber, outcome.stream, 4)).extracting(Publish::position)
          .containsExactly(before.get(1), before.get(2), before.get(3), after.get(0));
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private record SubscribeOutcome(int stream, SubAck subAck) {
  }

  private static EndpointTestClient client(int port, String clientId) {
    return EndpointTestClient.connected(port, BrokerTestClient.BINARY,
        Connect.builder(clientId).cleanStart(true).keepAlive(60).build());
  }

  /** Publishes {@code count} QoS 1 messages m0, m1, ... to {@link #TOPIC}; returns their positions, read back live. */
  private static List<TopicPosition> publish(int port, int count) {
    try (EndpointTestClient watcher = client(port, "watcher");
        EndpointTestClient publisher = client(port, "publisher")) {
      int watched = subscribe(watcher, Subscribe.of(TOPIC, 0)).stream;
      int stream = publisher.openStream();
      for (int i = 0; i < count; i++) {
        publisher.send(stream, Publish.of(TOPIC, Buffer.buffer("m" + i), 1, i + 1), false);
        assertThat(((PubAck) publisher.next().message()).reasonCode()).isZero();
      }
      return receive(watcher, watched, count).stream().map(Publish::position).toList();
    }
  }

  private static SubscribeOutcome subscribe(EndpointTestClient client, Subscribe subscribe) {
    int stream = client.openStream();
    client.send(stream, subscribe, false);
    EndpointTestClient.Received answer = client.next();
    assertThat(answer.streamId()).isEqualTo(stream);
    return new SubscribeOutcome(stream, (SubAck) answer.message());
  }

  private static List<Publish> receive(EndpointTestClient client, int stream, int count) {
    List<Publish> received = new ArrayList<>();
    while (received.size() < count) {
      EndpointTestClient.Received next = client.next();
      assertThat(next.streamId()).isEqualTo(stream);
      BraidMessage message = next.message();
      Publish publish = (Publish) message;
      if (publish.qos() == 1) {
        client.send(stream, PubAck.of(publish.packetId()), false);
      }
      received.add(publish);
    }
    return received;
  }
}
