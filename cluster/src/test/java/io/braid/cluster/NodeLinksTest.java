package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes' links in one JVM, sharing one Hazelcast member for the map of link addresses. */
class NodeLinksTest {

  private static HazelcastInstance hazelcast;
  private final Vertx vertx = Vertx.vertx();
  private final ClusterStats stats = new ClusterStats();
  private final List<NodeLinks> links = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  @BeforeAll
  static void startHazelcast() {
    hazelcast = TestHazelcast.alone("links-test");
  }

  @AfterAll
  static void stopHazelcast() {
    hazelcast.shutdown();
  }

  @AfterEach
  void close() throws Exception {
    links.forEach(NodeLinks::close);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A node named {@code name} plus a random suffix (the address map outlives each test), receiving into a list. */
  private NodeLinks node(String name, List<Buffer> received) throws Exception {
    String unique = name + "-" + UUID.randomUUID();
    names.add(unique);
    NodeLinks node = new NodeLinks(vertx, hazelcast, () -> unique, "127.0.0.1", stats);
    node.start(message -> {
      received.add(message);
      return CompletableFuture.completedFuture(null);
    }).await(10, TimeUnit.SECONDS);
    links.add(node);
    return node;
  }

  @Test
  void deliversEveryMessageWholeAndInOrder() throws Exception {
    List<Buffer> received = new CopyOnWriteArrayList<>();
    node("b", received);
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());
    String target = names.get(0);
    List<Buffer> sent = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      Buffer message = Buffer.buffer().appendInt(i).appendBytes(new byte[i % 300]);
      sent.add(message);
      a.send(target, message);
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= sent.size());
    assertThat(received).isEqualTo(sent);
  }

  @Test
  void aMessageLargerThanABatchArrivesWhole() throws Exception {
    List<Buffer> received = new CopyOnWriteArrayList<>();
    node("b", received);
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());
    byte[] large = new byte[1024 * 1024 + 7];
    new java.util.Random(7).nextBytes(large);

    a.send(names.get(0), Buffer.buffer("small"));
    a.send(names.get(0), Buffer.buffer(large));
    a.send(names.get(0), Buffer.buffer("after"));

    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 3);
    assertThat(received).containsExactly(Buffer.buffer("small"), Buffer.buffer(large), Buffer.buffer("after"));
  }

  /** A node whose receiver hands out, per message, a future the test completes. */
  private NodeLinks controlledNode(String name, List<CompletableFuture<Void>> takings) throws Exception {
    String unique = name + "-" + UUID.randomUUID();
    names.add(unique);
    NodeLinks node = new NodeLinks(vertx, hazelcast, () -> unique, "127.0.0.1", stats);
    node.start(message -> {
      CompletableFuture<Void> taken = new CompletableFuture<>();
      takings.add(taken);
      return taken;
    }).await(10, TimeUnit.SECONDS);
    links.add(node);
    return node;
  }

  @Test
  void anAcknowledgedMessageCompletesOnlyOnceTheReceiverTookIt() throws Exception {
    List<CompletableFuture<Void>> takings = new CopyOnWriteArrayList<>();
    controlledNode("b", takings);
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());

    CompletableFuture<Void> taken = a.sendAcknowledged(names.get(0), Buffer.buffer("m1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> takings.size() == 1);
    assertThat(taken).isNotDone();

    takings.get(0).complete(null);
    assertThat(taken).succeedsWithin(Duration.ofSeconds(10));
  }

  @Test
  void acknowledgementsKeepTheOrderOfTheMessages() throws Exception {
    List<CompletableFuture<Void>> takings = new CopyOnWriteArrayList<>();
    controlledNode("b", takings);
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());
    CompletableFuture<Void> first = a.sendAcknowledged(names.get(0), Buffer.buffer("m1"));
    a.send(names.get(0), Buffer.buffer("unacknowledged"));
    CompletableFuture<Void> second = a.sendAcknowledged(names.get(0), Buffer.buffer("m2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> takings.size() == 3);

    takings.get(2).complete(null); // the second acknowledged message is taken before the first
    takings.get(1).complete(null);
    assertThat(second).as("waits for the first").isNotDone();

    takings.get(0).complete(null);
    assertThat(first).succeedsWithin(Duration.ofSeconds(10));
    assertThat(second).succeedsWithin(Duration.ofSeconds(10));
  }


  @Test
  void aReplicaChangeIsAcknowledgedWhileAForwardedMessageBeforeItWaits() throws Exception {
    List<CompletableFuture<Void>> takings = new CopyOnWriteArrayList<>();
    controlledNode("b", takings);
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());
    // the forwarded message waits (in a cluster: for a relay whose delivery waits for the sender's replication)
    CompletableFuture<Void> forwarded = a.sendAcknowledged(names.get(0), Buffer.buffer("forwarded"));
    await().atMost(Duration.ofSeconds(10)).until(() -> takings.size() == 1);
    CompletableFuture<Void> replicated = a.replicate(names.get(0), Buffer.buffer("replica change"));
    await().atMost(Duration.ofSeconds(10)).until(() -> takings.size() == 2);

    takings.get(1).complete(null);
    assertThat(replicated).as("on a link of its own").succeedsWithin(Duration.ofSeconds(10));
    assertThat(forwarded).isNotDone();
    takings.get(0).complete(null);
    assertThat(forwarded).succeedsWithin(Duration.ofSeconds(10));
  }
  @Test
  void aMessageAwaitingItsAcknowledgementFailsWhenItsNodeLeaves() throws Exception {
    List<CompletableFuture<Void>> takings = new CopyOnWriteArrayList<>();
    controlledNode("b", takings);
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());
    CompletableFuture<Void> taken = a.sendAcknowledged(names.get(0), Buffer.buffer("m1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> takings.size() == 1);

    a.nodeLeft(names.get(0));

    assertThat(taken).failsWithin(Duration.ofSeconds(10));
  }

  @Test
  void aMessageForANodeThatLeftFailsAtOnce() throws Exception {
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());
    a.nodeLeft("departed");

    assertThat(a.sendAcknowledged("departed", Buffer.buffer("late"))).isCompletedExceptionally();
    a.send("departed", Buffer.buffer("late"));
    assertThat(stats.linkDrops()).isEqualTo(1);
  }

  @Test
  void aReceiverThatCannotTakeAMessageBreaksTheLinkAndItsSenderLearnsIt() throws Exception {
    List<CompletableFuture<Void>> takings = new CopyOnWriteArrayList<>();
    controlledNode("b", takings);
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());
    CompletableFuture<Void> taken = a.sendAcknowledged(names.get(0), Buffer.buffer("m1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> takings.size() == 1);

    takings.get(0).completeExceptionally(new IllegalStateException("disk full"));

    assertThat(taken).failsWithin(Duration.ofSeconds(10));
    CompletableFuture<Void> next = a.sendAcknowledged(names.get(0), Buffer.buffer("m2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> takings.size() == 2); // reconnected
    takings.get(1).complete(null);
    assertThat(next).succeedsWithin(Duration.ofSeconds(10));
  }

  @Test
  void messagesForANodeThatCannotBeReachedAreCountedPastTheLimit() throws Exception {
    NodeLinks a = node("a", new CopyOnWriteArrayList<>());

    for (int i = 0; i < NodeLinks.MAX_QUEUED + 5; i++) {
      a.send("nowhere", Buffer.buffer("x"));
    }

    assertThat(stats.linkDrops()).isEqualTo(5);
    a.nodeLeft("nowhere"); // forgets the queue; the link is not tried again
  }
}
