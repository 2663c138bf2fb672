package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.OverflowPolicy;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.Subscribe;
import io.braid.server.BrokerRuntime;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading, under each overflow policy its SUBSCRIBE may ask for: it gets what the policy
 * keeps, every gap is announced exactly (the {@code braid.dropped} count on the first message after it equals the
 * messages missing there), the drops are counted by policy, and the broker's heap holds no more than the limit.
 */
class SlowConsumerIT {

  private static final String TOPIC = "slow/t";
  /**
   * Deliveries the broker sends before it must queue: the subscriber's stream window (32, its SETTINGS) less the
   * SUBACK's credit, which the client returns only with a batch of others.
   */
  private static final int WINDOW = 31;
  private static final int MAX_QUEUED = 20;
  private static final int PUBLISHED = 500;

  private BrokerRuntime broker;
  private ChildBroker child;

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
    if (child != null) {
      child.close();
    }
  }

  @Test
  void dropOldestDeliversTheNewestAndAnnouncesTheGapExactly() {
    broker = TestBrokers.start("limits.publishRatePerClient", "0");
    try (EndpointTestClient subscriber = subscriber(OverflowPolicy.DROP_OLDEST, MAX_QUEUED)) {
      publish(broker.port(), 1, PUBLISHED);
      // the barrier's PUBACK says every message was routed; the subscriber's queue takes them on its own event loop
      awaitDropped("drop-oldest", PUBLISHED - WINDOW - MAX_QUEUED);

      List<Publish> received = readUntil(subscriber, "m" + PUBLISHED);

      assertThat(received).hasSize(WINDOW + MAX_QUEUED);
      assertNoticesExact(received);
      assertThat(metric("drop-oldest")).isEqualTo(PUBLISHED - WINDOW - MAX_QUEUED);
    }
  }

  @Test
  void dropNewestDeliversTheOldestAndAnnouncesTheGapWithTheNextMessage() {
    broker = TestBrokers.start("limits.publishRatePerClient", "0");
    try (EndpointTestClient subscriber = subscriber(OverflowPolicy.DROP_NEWEST, MAX_QUEUED)) {
      publish(broker.port(), 1, PUBLISHED);
      awaitDropped("drop-newest", PUBLISHED - WINDOW - MAX_QUEUED);
      List<Publish> received = read(subscriber, WINDOW + MAX_QUEUED); // all the broker kept: its queue is empty

      publish(broker.port(), PUBLISHED + 1, PUBLISHED + 1);
      received.addAll(read(subscriber, 1));

      assertNoticesExact(received);
      assertThat(dropped(received.get(received.size() - 1))).as("the gap before the next message")
          .isEqualTo(PUBLISHED - WINDOW - MAX_QUEUED);
      assertThat(metric("drop-newest")).isEqualTo(PUBLISHED - WINDOW - MAX_QUEUED);
    }
  }

  @Test
  void conflateDeliversTheLatestMessageOfTheTopic() {
    broker = TestBrokers.start("limits.publishRatePerClient", "0");
    try (EndpointTestClient subscriber = subscriber(OverflowPolicy.CONFLATE, BraidMessage.ABSENT)) {
      publish(broker.port(), 1, PUBLISHED);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> TestBrokers.metric(broker,
          "braid_messages_dropped_total{policy=\"conflate\",reason=\"conflated\"}") >= PUBLISHED - WINDOW - 1);

      List<Publish> received = readUntil(subscriber, "m" + PUBLISHED);

      assertThat(received).hasSize(WINDOW + 1);
      assertNoticesExact(received);
      assertThat(TestBrokers.metric(broker, "braid_messages_dropped_total{policy=\"conflate\",reason=\"conflated\"}"))
          .isEqualTo(PUBLISHED - WINDOW - 1);
    }
  }

  @Test
  void disconnectClosesTheSubscriberWithQuotaExceeded() {
    broker = TestBrokers.start("limits.publishRatePerClient", "0");
    try (EndpointTestClient subscriber = subscriber(OverflowPolicy.DISCONNECT, MAX_QUEUED)) {
      publish(broker.port(), 1, PUBLISHED);

      BraidMessage last;
      do {
        last = subscriber.peek().message();
      } while (last instanceof Publish);

      assertThat(last).isInstanceOf(Disconnect.class);
      assertThat(((Disconnect) last).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
      assertThat(metric("disconnect")).isPositive();
    }
  }

  @Test
  void aStalledSubscriberCostsTheBrokerNoMoreThanItsQueueLimit() throws Exception {
    child = ChildBroker.start("--set", "store.type=memory", "--set", "limits.publishRatePerClient=0");
    int published = 50_000;
    try (EndpointTestClient subscriber = subscriber(child.port(), OverflowPolicy.DROP_OLDEST, 100)) {
      publish(child.port(), 1, published);

      long entries = child.liveInstances("io.braid.pubsub.broker.OutboundEntry");

      assertThat(entries).as("queued deliveries held for the stalled subscriber").isLessThanOrEqualTo(100);
      List<Publish> received = readUntil(subscriber, "m" + published);
      assertThat(received).hasSize(WINDOW + 100);
      assertNoticesExact(received);
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private EndpointTestClient subscriber(OverflowPolicy policy, int maxQueued) {
    return subscriber(broker.port(), policy, maxQueued);
  }

  /** A subscriber of {@link #TOPIC} that reads nothing more after its SUBACK until the test reads. */
  private static EndpointTestClient subscriber(int port, OverflowPolicy policy, int maxQueued) {
    EndpointTestClient subscriber = EndpointTestClient.connected(port, BrokerTestClient.BINARY,
        Connect.builder("slow").cleanStart(true).keepAlive(60).build());
    subscriber.subscribe(Subscribe.of(TOPIC, 0).withOverflow(policy, maxQueued));
    return subscriber;
  }

  /**
   * Publishes m{from}..m{to} at QoS 0, then a QoS 1 message elsewhere: its PUBACK says every one before it was
   * handed to the subscriber's session.
   */
  private static void publish(int port, int from, int to) {
    try (EndpointTestClient publisher = EndpointTestClient.connected(port, BrokerTestClient.BINARY,
        Connect.builder("fast").cleanStart(true).keepAlive(60).build())) {
      int stream = publisher.openStream();
      for (int i = from; i <= to; i++) {
        publisher.send(stream, Publish.of(TOPIC, Buffer.buffer("m" + i)), false);
      }
      publisher.send(stream, Publish.of("slow/barrier", Buffer.buffer("b"), 1, 1), false);
      BraidMessage ack;
      do {
        ack = publisher.next().message();
      } while (!(ack instanceof PubAck));
    }
  }

  private static List<Publish> read(EndpointTestClient subscriber, int count) {
    List<Publish> received = new ArrayList<>();
    while (received.size() < count) {
      received.add((Publish) subscriber.next().message());
    }
    return received;
  }

  private static List<Publish> readUntil(EndpointTestClient subscriber, String lastPayload) {
    List<Publish> received = new ArrayList<>();
    do {
      received.add((Publish) subscriber.next().message());
    } while (!received.get(received.size() - 1).payload().toString().equals(lastPayload));
    return received;
  }

  /** Each message's {@code braid.dropped} is exactly the number of messages missing right before it. */
  private static void assertNoticesExact(List<Publish> received) {
    int previous = 0;
    for (Publish publish : received) {
      int index = Integer.parseInt(publish.payload().toString().substring(1));
      assertThat(dropped(publish)).as("the notice on m%d after m%d", index, previous).isEqualTo(index - previous - 1);
      previous = index;
    }
  }

  private static long dropped(Publish publish) {
    return publish.userProperties().stream().filter(p -> p.name().equals("braid.dropped"))
        .mapToLong(p -> Long.parseLong(p.value())).sum();
  }

  /** Waits, bounded, until the subscriber's queue has dropped {@code expected} messages under {@code policy}. */
  private void awaitDropped(String policy, long expected) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> metric(policy) >= expected);
  }

  private double metric(String policy) {
    return TestBrokers.metric(broker, "braid_messages_dropped_total{policy=\"" + policy + "\",reason=\"queue_full\"}");
  }
}
