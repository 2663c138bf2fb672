package io.braid.cluster;

import static io.braid.cluster.ReplicaFrameTest.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.store.SessionState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replicas a node keeps, per owning node. */
class HeldReplicasTest {

  private final HeldReplicas held = new HeldReplicas();

  @Test
  void anOwnerThatMovedItsReplicaIsForgottenAndIgnoredUntilItCopiesHereAgain() {
    held.apply("a", List.of(new ReplicaOp.SaveSession(session("c"))));

    held.apply("a", List.of(new ReplicaOp.Release()));
    held.apply("a", List.of(new ReplicaOp.SaveSession(session("late"))));

    assertThat(held.holds("a")).isFalse();
    held.apply("a", List.of(new ReplicaOp.Reset(), new ReplicaOp.SaveSession(session("again"))));
    assertThat(held.takeOver("a")).extracting(SessionState::clientId).containsExactly("again");
  }

  @Test
  void aDepartedOwnersSessionsAreTakenOnceAndItsLateChangesDropped() {
    held.apply("a", List.of(new ReplicaOp.SaveSession(session("c"))));

    assertThat(held.takeOver("a")).extracting(SessionState::clientId).containsExactly("c");
    held.apply("a", List.of(new ReplicaOp.SaveSession(session("late"))));

    assertThat(held.takeOver("a")).isEmpty();
    assertThat(held.sessionCount()).isZero();
  }
}
