package io.braid.cluster;

import static io.braid.cluster.ReplicaFrameTest.queued;
import static io.braid.cluster.ReplicaFrameTest.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's store with its sessions replicated: against a transport that applies what it is sent to a replica and
 * is acknowledged by the test, or fails.
 */
class ReplicatingStoreTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Applies every frame to a replica of the node; acknowledgements wait for the test unless automatic. */
  private static final class ReplicaNode implements PeerTransport {
    final ReplicaSessions replica = new ReplicaSessions();
    final Queue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
    final List<String> sentTo = new CopyOnWriteArrayList<>();
    final List<Integer> frameSizes = new CopyOnWriteArrayList<>();
    volatile boolean acknowledge = true;
    volatile boolean failNext;

    @Override
    public Future<Void> start(Receiver receiver) {
      return Future.succeededFuture();
    }

    final List<String> releasedAt = new CopyOnWriteArrayList<>();

    @Override
    public void send(String node, Buffer message) {
      throw new AssertionError("a replica change went on the message link");
    }

    @Override
    public CompletableFuture<Void> sendAcknowledged(String node, Buffer message) {
      throw new AssertionError("a replica change went on the message link");
    }

    @Override
    public CompletableFuture<Void> replicate(String node, Buffer message) {
      ReplicaFrame.Decoded decoded = ReplicaFrame.decode(message);
      if (decoded.ops().equals(List.of(new ReplicaOp.Release()))) {
        releasedAt.add(node);
        return CompletableFuture.completedFuture(null);
      }
      if (failNext) {
        failNext = false;
        return CompletableFuture.failedFuture(new IllegalStateException("link broke"));
      }
      assertThat(decoded.owner()).isEqualTo("self");
      sentTo.add(node);
      frameSizes.add(decoded.ops().size());
      replica.apply(decoded.ops());
      if (acknowledge) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> taken = new CompletableFuture<>();
      waiting.add(taken);
      return taken;
    }

    @Override
    public void nodeLeft(String node) {
    }

    @Override
    public void close() {
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final ReplicaNode node = new ReplicaNode();
  private final List<String> replicasChosen = new CopyOnWriteArrayList<>();
  private final InMemoryStore local = new InMemoryStore();
  private final ReplicatingStore store = new ReplicatingStore(local, node, () -> "self", vertx.getOrCreateContext(),
      Runnable::run, new ReplicatingStore.Owners() {
        @Override
        public void claim(String clientId) {
        }

        @Override
        public void release(String clientId) {
        }

        @Override
        public void replicaChosen(String replica) {
          replicasChosen.add(replica);
        }
      });

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private void replicateTo(String replica) {
    store.membersChanged(List.of(replica));
    await().atMost(WAIT).until(() -> replica.equals(store.replica()));
    store.sync().join();
  }

  private List<SessionState> replicated() {
    return node.replica.states();
  }

  @Test
  void syncWaitsUntilTheReplicaTookTheChange() {
    replicateTo("r");
    node.acknowledge = false;

    store.saveSession(session("c"));
    store.enqueue("c", queued(1, "a"));
    CompletableFuture<Void> synced = store.sync();

    await().atMost(WAIT).untilAsserted(() -> assertThat(replicated()).singleElement()
        .satisfies(state -> assertThat(state.queue()).hasSize(1)));
    assertThat(synced).isNotDone();
    node.waiting.forEach(taken -> taken.complete(null));
    assertThat(synced).succeedsWithin(WAIT);
  }

  @Test
  void aNewReplicaIsFirstSentEverySessionTheStoreHolds() {
    local.saveSession(session("old"));
    local.enqueue("old", queued(1, "a"));
    local.addInboundPacketId("old", 4);

    replicateTo("r");

    assertThat(replicated()).singleElement().satisfies(state -> {
      assertThat(state.clientId()).isEqualTo("old");
      assertThat(state.queue()).extracting(QueuedMessage::sequence).containsExactly(1L);
      assertThat(state.inboundPacketIds()).containsExactly(4);
    });
    assertThat(replicasChosen).containsExactly("r");
  }

  @Test
  void theReplicaMovesToANodeThatJoinsBetweenAndBackWhenItLeaves() {
    replicateTo("t");
    store.saveSession(session("c"));
    store.sync().join();

    store.membersChanged(List.of("sz", "t"));
    await().atMost(WAIT).until(() -> "sz".equals(store.replica()));
    store.sync().join();
    store.membersChanged(List.of("t"));
    await().atMost(WAIT).until(() -> "t".equals(store.replica()));
    store.sync().join();

    assertThat(replicasChosen).containsExactly("t", "sz", "t");
    assertThat(node.releasedAt).as("each former replica is told").containsExactly("t", "sz");
    assertThat(node.sentTo).contains("sz");
    assertThat(replicated()).extracting(SessionState::clientId).containsExactly("c");
  }

  @Test
  void aChangeTheReplicaMayHaveMissedStartsAFullCopyAgain() {
    replicateTo("r");
    store.saveSession(session("c"));
    store.sync().join();
    node.failNext = true;
    store.enqueue("c", queued(1, "lost on the way"));
    store.sync().join();

    await().atMost(WAIT).untilAsserted(() -> assertThat(replicated()).singleElement()
        .satisfies(state -> assertThat(state.queue()).hasSize(1)));
  }

  @Test
  void aChangeWhoseAcknowledgementFailedCountsOnlyOnceTheNewCopyIsAcknowledged() {
    replicateTo("r");
    store.saveSession(session("c"));
    store.sync().join();
    node.acknowledge = false;
    node.failNext = true;

    store.enqueue("c", queued(1, "lost on the way"));
    CompletableFuture<Void> synced = store.sync();

    await().atMost(WAIT).until(() -> node.waiting.size() >= 2); // the reset and the copy
    assertThat(synced).isNotDone();
    node.waiting.forEach(taken -> taken.complete(null));
    assertThat(synced).succeedsWithin(WAIT);
  }

  @Test
  void aChangeRecordedOnceTheNodeStopsIsNeverAcknowledgedAsReplicated() {
    replicateTo("r");
    store.stop();

    store.saveSession(session("c"));

    assertThat(store.sync()).failsWithin(Duration.ofMillis(200));
  }

  @Test
  void theChangesOfOneAtomicGroupTravelInOneFrame() {
    replicateTo("r");
    int framesBefore = node.frameSizes.size();

    store.atomically(() -> {
      store.saveSession(session("c"));
      store.enqueue("c", queued(1, "a"));
      store.addInboundPacketId("c", 3);
      return null;
    });
    store.sync().join();

    assertThat(node.frameSizes.subList(framesBefore, node.frameSizes.size())).containsExactly(3);
  }

  @Test
  void withoutAnotherNodeChangesStayHere() {
    store.saveSession(session("c"));

    assertThat(store.sync()).succeedsWithin(WAIT);
    assertThat(node.sentTo).isEmpty();
    assertThat(local.load().sessions()).hasSize(1);
  }

  @Test
  void eachNodeKeepsItsReplicaOnTheNextNodeInIdOrder() {
    assertThat(ReplicatingStore.pick(List.of("c", "a", "d"), "b")).isEqualTo("c");
    assertThat(ReplicatingStore.pick(List.of("c", "a", "b"), "d")).isEqualTo("a");
    assertThat(ReplicatingStore.pick(List.of(), "a")).isNull();
  }
}
