package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.MessageRouter.LocalDelivery;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.Delivery;
import io.braid.pubsub.topic.TopicFilter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The new node's side of a session moving here: its gate, as the other nodes' copies reach it. */
class SessionMovesTest {

  private static final String CLIENT = "mover";
  private static final Delivery TO_CLIENT = new Delivery(CLIENT, TopicFilter.parse("load/#"), 2, false, List.of());

  private final Vertx vertx = Vertx.vertx();
  private final SessionMoves moves = new SessionMoves(vertx, new NoLinks(), new InheritedRoutes(), filters -> { });
  /** What reached the session: through its gate, and past it as any other delivery. */
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final LocalDelivery direct = new Recording();

  SessionMovesTest() {
    moves.deliverWith((clientId, message) -> {
      delivered.add(new String(message.payload(), StandardCharsets.UTF_8));
      return CompletableFuture.completedFuture(1);
    });
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static ApplicationMessage message(int n, long nodeId) {
    return ApplicationMessage.of("p", "load/x", ("m" + n).getBytes(StandardCharsets.UTF_8), 2, false)
        .accepted(nodeId, 1_000 + n);
  }

  private static Buffer relayEnd() {
    return Buffer.buffer().appendByte((byte) SessionMoves.RELAY_END).appendString(CLIENT);
  }

  @Test
  void aDirectCopyThatArrivesAfterTheRelayEndedIsNotDeliveredAgain() {
    moves.expect(CLIENT, "a");
    moves.arrived(CLIENT);
    moves.relayed(CLIENT, message(1, 11));
    moves.relayEnded(relayEnd()); // the former node's link was faster than the publisher's node's link to here

    moves.gated(direct).deliver(message(1, 501), TO_CLIENT);
    moves.gated(direct).deliver(message(2, 502), TO_CLIENT);

    assertThat(delivered).containsExactly("m1", "m2");
  }

  /** The session moved on from here: a copy of what it got here, trailing, must not follow it to its next node. */
  @Test
  void aLateCopyOfAMessageTheSessionGotHereIsNotRelayedAfterIt() {
    moves.expect(CLIENT, "a");
    moves.arrived(CLIENT);
    assertThat(moves.deliveredHere(CLIENT, message(1, 501))).as("the gate is closed: not a late copy").isFalse();
    moves.relayed(CLIENT, message(1, 11));
    moves.relayEnded(relayEnd());

    assertThat(moves.deliveredHere(CLIENT, message(1, 502))).isTrue();
    assertThat(moves.deliveredHere(CLIENT, message(2, 503))).as("a message it never got: relayed").isFalse();
  }

  @Test
  void aSessionWhoseRelayEndedIsHandedOnAtOnceThoughItsGateStillCountsLateCopies() {
    moves.expect(CLIENT, "a");
    moves.arrived(CLIENT);
    assertThat(moves.whenRelayEnded(CLIENT)).isNotDone();

    moves.relayEnded(relayEnd());

    assertThat(moves.whenRelayEnded(CLIENT)).isDone();
  }

  /** Copies delivered past the gate, as the router would. */
  private final class Recording implements LocalDelivery {
    @Override
    public boolean isAvailable(String clientId) {
      return true;
    }

    @Override
    public void deliver(ApplicationMessage message, Delivery delivery) {
      delivered.add(new String(message.payload(), StandardCharsets.UTF_8));
    }

    @Override
    public void sharedGroupUnavailable() {
    }

    @Override
    public void awaitElsewhere(CompletableFuture<Void> taken) {
    }

    @Override
    public CompletableFuture<Void> hold() {
      return null;
    }
  }
}
