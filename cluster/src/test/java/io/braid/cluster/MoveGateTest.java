package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.message.ApplicationMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The deliveries to a session moving here, while its former node relays. */
class MoveGateTest {

  private final List<String> delivered = new ArrayList<>();
  private final MoveGate gate = new MoveGate("s", "a", message -> {
    delivered.add(new String(message.payload(), StandardCharsets.UTF_8));
    return CompletableFuture.completedFuture(1);
  });

  /** The n-th message of publisher p, as any node holds it: the id differs per node, the rest does not. */
  private static ApplicationMessage message(String publisher, int n, long nodeId) {
    return ApplicationMessage.of(publisher, "load/x", ("m" + n).getBytes(StandardCharsets.UTF_8), 1, false)
        .accepted(nodeId, 1_000 + n);
  }

  @Test
  void relayedCopiesAreDeliveredInTheOrderRelayed() {
    gate.arrived();

    gate.relayed(message("p", 1, 11));
    gate.relayed(message("p", 2, 12));

    assertThat(delivered).containsExactly("m1", "m2");
  }

  @Test
  void relayedCopiesThatComeBeforeTheSessionWaitForIt() {
    CompletableFuture<Integer> first = gate.relayed(message("p", 1, 11));
    gate.relayed(message("p", 2, 12));
    assertThat(delivered).isEmpty();
    assertThat(first).as("taken, not waiting for the session: the link acknowledges in order").isDone();

    gate.arrived();

    assertThat(delivered).containsExactly("m1", "m2");
  }

  @Test
  void aDirectCopyThatOvertakesItsRelayedCopyIsDeliveredOnceInOrder() {
    gate.arrived();
    gate.relayed(message("p", 1, 11));

    assertThat(gate.direct(message("p", 2, 502))).as("taken by the gate").isTrue();
    assertThat(delivered).as("m2 waits for m1's relay to pass").containsExactly("m1");
    gate.relayed(message("p", 2, 12));
    gate.open();

    assertThat(delivered).containsExactly("m1", "m2");
  }

  @Test
  void aDirectCopyWhoseRelayedCopyCameFirstIsDropped() {
    gate.arrived();
    gate.relayed(message("p", 1, 11));

    assertThat(gate.direct(message("p", 1, 501))).isTrue();
    gate.open();

    assertThat(delivered).containsExactly("m1");
  }

  @Test
  void directCopiesNoRelayMatchedAreDeliveredInArrivalOrderWhenTheRelayEnds() {
    gate.arrived();
    gate.relayed(message("p", 1, 11));
    gate.direct(message("p", 2, 502));
    gate.direct(message("p", 3, 503));
    assertThat(delivered).containsExactly("m1");

    assertThat(gate.open()).as("opened now").isTrue();

    assertThat(delivered).containsExactly("m1", "m2", "m3");
    assertThat(gate.open()).as("open already").isFalse();
  }

  @Test
  void identicalMessagesAreCountedNotMerged() {
    gate.arrived();
    ApplicationMessage twin = message("p", 1, 11);
    gate.relayed(twin);
    gate.direct(twin);
    gate.direct(twin); // a second message, equal to the first, that only came directly

    gate.open();

    assertThat(delivered).containsExactly("m1", "m1");
  }

  @Test
  void messagesOfOtherPublishersAreNotTakenForCopies() {
    gate.arrived();
    gate.relayed(message("p", 1, 11));
    gate.direct(message("q", 1, 501));

    gate.open();

    assertThat(delivered).containsExactly("m1", "m1");
  }

  @Test
  void anOpenGateLetsDirectCopiesThroughAndDropsLateRelayedOnes() {
    gate.arrived();
    gate.open();

    assertThat(gate.direct(message("p", 1, 501))).as("delivered by the caller").isFalse();
    assertThat(gate.relayed(message("p", 1, 11))).isCompletedWithValue(0);
    assertThat(delivered).isEmpty();
  }

  /** The relay's end outran the direct copy of a message relayed before it (the other node's link was slower). */
  @Test
  void aDirectCopyTrailingTheRelayEndOfAMessageRelayedAlreadyIsNotDeliveredAgain() {
    gate.arrived();
    gate.relayed(message("p", 1, 11));
    gate.open();

    assertThat(gate.direct(message("p", 1, 501))).as("taken by the gate, and dropped").isTrue();
    assertThat(gate.direct(message("p", 2, 502))).as("no way carried m2 before: the caller delivers it").isFalse();
    assertThat(delivered).containsExactly("m1");
    assertThat(gate.lateDropped()).isEqualTo(1);
  }

  @Test
  void aRelayedCopyTrailingTheRelayEndOfAMessageNoOtherWayCarriedIsDeliveredOnce() {
    gate.arrived();
    gate.open();

    gate.relayed(message("p", 1, 11));
    assertThat(gate.direct(message("p", 1, 501))).as("its direct copy, later still: dropped").isTrue();

    assertThat(delivered).containsExactly("m1");
  }

  @Test
  void aLateDirectCopyOfAMessageTheHandedOverStateHeldIsNotDeliveredAgain() {
    gate.handedOver(List.of(message("p", 1, 1)));
    gate.arrived();
    gate.open();

    assertThat(gate.direct(message("p", 1, 501))).isTrue();
    assertThat(delivered).isEmpty();
  }

  @Test
  void identicalMessagesComingAfterTheGateOpenedAreCountedNotMerged() {
    gate.arrived();
    ApplicationMessage twin = message("p", 1, 11);
    gate.relayed(twin);
    gate.open();

    assertThat(gate.direct(twin)).as("the relayed one's direct copy").isTrue();
    assertThat(gate.direct(twin)).as("a second message, equal to the first, that only came directly").isFalse();
  }

  @Test
  void openingBeforeTheSessionCameDeliversWhatWasRelayedFirst() {
    gate.relayed(message("p", 1, 11));
    gate.direct(message("p", 2, 502));

    gate.open();

    assertThat(delivered).containsExactly("m1", "m2");
  }

  @Test
  void copiesOfMessagesTheHandedOverStateHeldAreNotDeliveredAgain() {
    gate.handedOver(List.of(message("p", 1, 1), message("p", 2, 2)));
    gate.arrived();

    gate.relayed(message("p", 2, 12));
    gate.relayed(message("p", 3, 13));
    gate.direct(message("p", 1, 501));
    gate.direct(message("p", 2, 502));
    gate.direct(message("p", 3, 503));
    gate.open();

    assertThat(delivered).containsExactly("m3");
  }

  @Test
  void itsSummaryCountsWhatEachWayCarried() {
    gate.handedOver(List.of(message("p", 1, 1)));
    gate.arrived();
    gate.relayed(message("p", 1, 11));
    gate.relayed(message("p", 2, 12));
    gate.direct(message("p", 2, 502));
    gate.direct(message("p", 3, 503));

    gate.open();

    assertThat(gate.summary()).isEqualTo("1 relayed copies delivered, 1 skipped (handed over), 2 direct copies held, "
        + "1 of them (those that came by no other way) delivered");
  }

  @Test
  void aHeldCopyWhoseKeyWasForgottenIsDeliveredRatherThanLost() {
    gate.arrived();
    gate.direct(message("p", 0, 500));
    for (int n = 1; n <= MoveGate.MAX_KEYS; n++) {
      gate.relayed(message("p", n, n));
    }
    delivered.clear();

    gate.open();

    assertThat(delivered).containsExactly("m0");
  }
}
