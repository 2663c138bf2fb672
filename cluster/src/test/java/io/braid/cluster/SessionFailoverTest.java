package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapInterceptor;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.SessionInfo;
import io.braid.pubsub.broker.SessionUnavailableException;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.store.SessionState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a node finds in the session directory for a connecting client whose session is on another node: one Hazelcast
 * member in the JVM, whose identity plays the live node holding sessions; the node under test is not a member.
 */
class SessionFailoverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static HazelcastInstance hazelcast;
  private static String liveNode;
  private final Vertx vertx = Vertx.vertx();
  private final SessionMoves moves = new SessionMoves(vertx, new NoLinks(), new InheritedRoutes(), filters -> { });
  private final SessionFailover failover = new SessionFailover(vertx, hazelcast, () -> "this-node", new NoLinks(),
      moves, 5_000);
  private final InMemoryStore local = new InMemoryStore();
  private final Broker broker = Broker.builder().store(failover.replicating(local)).build();
  private final IMap<String, String> owners = hazelcast.getMap(SessionDirectory.OWNERS);
  private final IMap<String, String> replicas = hazelcast.getMap(SessionDirectory.REPLICAS);
  private final String clientId = "client-" + UUID.randomUUID();
  private final String goneNode = "gone-" + UUID.randomUUID();

  @BeforeAll
  static void startHazelcast() {
    hazelcast = TestHazelcast.alone("failover-test");
    liveNode = hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  @AfterAll
  static void stopHazelcast() {
    hazelcast.shutdown();
  }

  @BeforeEach
  void start() {
    failover.start(broker);
  }

  @AfterEach
  void close() throws Exception {
    failover.close();
    broker.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aSessionWhoseNodeAndReplicaAreBothGoneStartsAnew() {
    owners.put(clientId, goneNode);

    assertThat(failover.take(clientId)).succeedsWithin(WAIT).isNull();
    await().atMost(WAIT).until(() -> !owners.containsKey(clientId));
  }

  @Test
  void aSessionWhoseReplicaIsOnALiveNodeIsRefusedForNow() {
    owners.put(clientId, goneNode);
    replicas.put(goneNode, liveNode);

    assertThat(failover.take(clientId)).failsWithin(WAIT).withThrowableThat()
        .havingRootCause().isInstanceOf(SessionUnavailableException.class);
    assertThat(owners.get(clientId)).as("still the departed node's until its heir claims it").isEqualTo(goneNode);
  }

  @Test
  void aSessionOnALiveNodeIsHandedOverAndAdoptedHere() throws Exception {
    owners.put(clientId, liveNode);
    answerHandOvers(stateOf(clientId), 0);

    assertThat(failover.take(clientId)).succeedsWithin(WAIT).as("adopted by the source itself").isNull();
    assertThat(broker.sessions()).extracting(SessionInfo::clientId).containsExactly(clientId);
    await().atMost(WAIT).until(() -> "this-node".equals(owners.get(clientId)));
  }

  @Test
  void aSessionTheHeirClaimedBetweenTheTwoLookupsIsNotTakenForLost() throws Exception {
    // the heir claimed it, then forgot the departed node's replica; this node read the owner before the claim
    owners.put(clientId, liveNode);
    StaleOnce.value.set(goneNode);
    String interceptor = owners.addInterceptor(new StaleOnce());
    try {
      answerHandOvers(stateOf(clientId), 0);

      assertThat(failover.take(clientId)).succeedsWithin(WAIT);
      assertThat(StaleOnce.value.get()).as("the stale owner was read").isNull();
      assertThat(broker.sessions()).extracting(SessionInfo::clientId).containsExactly(clientId);
    } finally {
      owners.removeInterceptor(interceptor);
    }
  }

  @Test
  void aHandOverThatOutlastsTheClientsWaitIsAdoptedWhenItComes() throws Exception {
    owners.put(clientId, liveNode);
    answerHandOvers(stateOf(clientId), 7_000); // beyond the 5 s a connecting client waits

    assertThat(failover.take(clientId)).failsWithin(WAIT).withThrowableThat()
        .havingRootCause().isInstanceOf(SessionUnavailableException.class);
    await().atMost(WAIT).until(() -> !broker.sessions().isEmpty());
    assertThat(broker.sessions()).extracting(SessionInfo::clientId).containsExactly(clientId);
    assertThat(failover.take(clientId)).as("the client again").succeedsWithin(WAIT).isNull();
  }

  @Test
  void aSessionThatMovedHereIsHandedOnOnlyOnceItsFormerNodeEndedItsRelay() throws Exception {
    owners.put(clientId, liveNode);
    answerHandOvers(stateOf(clientId), 0);
    assertThat(failover.take(clientId)).succeedsWithin(WAIT); // the live node relays for it from now on

    CompletableFuture<Message<Buffer>> answer = askForTheSession("third-node");

    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !answer.isDone());
    assertThat(broker.sessions()).extracting(SessionInfo::clientId).containsExactly(clientId);
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    moves.relayEnded(Buffer.buffer().appendByte((byte) SessionMoves.RELAY_END).appendBytes(id));
    assertThat(answer).succeedsWithin(WAIT)
        .satisfies(reply -> assertThat(ReplicaFrame.decodeSession(reply.body()).clientId()).isEqualTo(clientId));
    assertThat(broker.sessions()).isEmpty();
  }

  @Test
  void aSessionHandedOverIsDeletedHereOnlyOnceTheAskingNodeConfirmsItTookIt() throws Exception {
    assertThat(broker.adopt(stateOf(clientId))).succeedsWithin(WAIT).isEqualTo(true);
    await().atMost(WAIT).until(() -> "this-node".equals(owners.get(clientId)));

    Message<Buffer> answer = askForTheSession();

    assertThat(ReplicaFrame.decodeSession(answer.body()).clientId()).isEqualTo(clientId);
    assertThat(broker.sessions()).isEmpty();
    assertThat(local.loadSession(clientId)).as("kept until confirmed").isNotNull();
    assertThat(owners.get(clientId)).as("the asking node claims it").isEqualTo("this-node");
    owners.put(clientId, liveNode);
    answer.reply(Buffer.buffer("taken"));
    await().atMost(WAIT).until(() -> local.loadSession(clientId) == null);
  }

  @Test
  void aSessionTheAskingNodeDidNotTakeIsBackHere() throws Exception {
    assertThat(broker.adopt(stateOf(clientId))).succeedsWithin(WAIT).isEqualTo(true);
    await().atMost(WAIT).until(() -> "this-node".equals(owners.get(clientId)));

    askForTheSession().fail(500, "the asking node failed before it claimed the session");

    await().atMost(WAIT).until(() -> !broker.sessions().isEmpty());
    assertThat(broker.sessions()).extracting(SessionInfo::clientId).containsExactly(clientId);
    assertThat(local.loadSession(clientId)).isNotNull();
    assertThat(owners.get(clientId)).isEqualTo("this-node");
  }

  @Test
  void anUnconfirmedSessionThatAnotherNodeClaimedIsDeletedHere() throws Exception {
    assertThat(broker.adopt(stateOf(clientId))).succeedsWithin(WAIT).isEqualTo(true);
    await().atMost(WAIT).until(() -> "this-node".equals(owners.get(clientId)));

    Message<Buffer> answer = askForTheSession();
    owners.put(clientId, liveNode); // it claimed the session, then its confirmation was lost
    answer.fail(500, "lost");

    await().atMost(WAIT).until(() -> local.loadSession(clientId) == null);
    assertThat(broker.sessions()).isEmpty();
  }

  @Test
  void aSessionAnotherNodeClaimedFirstIsDroppedAfterItCameHere() throws Exception {
    owners.put(clientId, liveNode);
    // the holder's heir claimed the session (the holder having left) before this node could
    answerHandOvers(stateOf(clientId), 0, () -> owners.put(clientId, "heir-" + UUID.randomUUID()));

    assertThat(failover.take(clientId)).failsWithin(WAIT).withThrowableThat()
        .havingRootCause().isInstanceOf(SessionUnavailableException.class);
    await().atMost(WAIT).until(() -> broker.sessions().isEmpty() && local.loadSession(clientId) == null);
    assertThat(owners.get(clientId)).startsWith("heir-");
  }

  @Test
  void anHeirTakesOverASessionItsNodeStillHeld() {
    owners.put(clientId, goneNode);
    failover.receive(ReplicaFrame.encode(goneNode, List.of(new ReplicaOp.SaveSession(
        ReplicaFrameTest.session(clientId)))));

    assertThat(failover.afterTakeOver(Set.of(goneNode), () -> CompletableFuture.completedFuture(null)))
        .succeedsWithin(WAIT);

    assertThat(broker.sessions()).extracting(SessionInfo::clientId).containsExactly(clientId);
    await().atMost(WAIT).until(() -> "this-node".equals(owners.get(clientId)));
  }

  @Test
  void anHeirDropsASessionItsNodeHandedToAnotherNodeJustBeforeItLeft() {
    owners.put(clientId, liveNode); // the node it moved to claimed it
    failover.receive(ReplicaFrame.encode(goneNode, List.of(new ReplicaOp.SaveSession(
        ReplicaFrameTest.session(clientId)))));

    assertThat(failover.afterTakeOver(Set.of(goneNode), () -> CompletableFuture.completedFuture(null)))
        .succeedsWithin(WAIT);

    await().atMost(WAIT).until(() -> broker.sessions().isEmpty() && local.loadSession(clientId) == null);
    assertThat(owners.get(clientId)).isEqualTo(liveNode);
  }

  /** Asks this node for the session as the live node would; the answer, whose sender waits for a confirmation. */
  private Message<Buffer> askForTheSession() throws Exception {
    return askForTheSession(liveNode).get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<Message<Buffer>> askForTheSession(String node) {
    JsonObject request = new JsonObject().put("client", clientId).put("node", node);
    return vertx.eventBus().<Buffer>request("braid.sessions.this-node", request).toCompletionStage()
        .toCompletableFuture();
  }

  private static SessionState stateOf(String clientId) {
    return new SessionState(ReplicaFrameTest.session(clientId), List.of(), Set.of());
  }

  /** The live node answers hand-over requests with {@code state}, {@code delayMillis} after they come. */
  private void answerHandOvers(SessionState state, long delayMillis) throws Exception {
    answerHandOvers(state, delayMillis, () -> { });
  }

  private void answerHandOvers(SessionState state, long delayMillis, Runnable beforeAnswering) throws Exception {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer("braid.sessions." + liveNode, request -> {
      beforeAnswering.run();
      if (delayMillis == 0) {
        request.reply(ReplicaFrame.encode(state));
      } else {
        vertx.setTimer(delayMillis, timer -> request.reply(ReplicaFrame.encode(state)));
      }
    });
    consumer.completion().await(10, TimeUnit.SECONDS);
  }

  /** Answers the next read of the map with a value set beforehand, once: a read from before a write. */
  static final class StaleOnce implements MapInterceptor {
    private static final long serialVersionUID = 1L;
    static final AtomicReference<String> value = new AtomicReference<>();

    @Override
    public Object interceptGet(Object current) {
      return value.getAndSet(null);
    }

    @Override
    public void afterGet(Object current) {
    }

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
      return null;
    }

    @Override
    public void afterPut(Object current) {
    }

    @Override
    public Object interceptRemove(Object removed) {
      return null;
    }

    @Override
    public void afterRemove(Object removed) {
    }
  }
}
