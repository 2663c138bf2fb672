package io.braid.cluster;

import static io.braid.cluster.ReplicaFrameTest.queued;
import static io.braid.cluster.ReplicaFrameTest.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replica of one node's sessions, built from the changes that node sends, in the order they arrive. */
class ReplicaSessionsTest {

  private final ReplicaSessions replica = new ReplicaSessions();

  private SessionState only() {
    assertThat(replica.states()).hasSize(1);
    return replica.states().get(0);
  }

  @Test
  void keepsTheSessionWithItsQueueInSequenceOrderAndItsPacketIds() {
    replica.apply(List.of(new ReplicaOp.SaveSession(session("c")), new ReplicaOp.Enqueue("c", queued(2, "b")),
        new ReplicaOp.Enqueue("c", queued(1, "a")), new ReplicaOp.AddInbound("c", 7)));

    assertThat(only().queue()).extracting(QueuedMessage::sequence).containsExactly(1L, 2L);
    assertThat(only().inboundPacketIds()).containsExactly(7);
  }

  @Test
  void aRemovalThatArrivesBeforeItsMessageKeepsTheMessageOut() {
    replica.apply(List.of(new ReplicaOp.SaveSession(session("c")), new ReplicaOp.Dequeue("c", 1)));
    replica.apply(List.of(new ReplicaOp.Enqueue("c", queued(1, "a")), new ReplicaOp.Enqueue("c", queued(2, "b"))));

    assertThat(only().queue()).extracting(QueuedMessage::sequence).containsExactly(2L);
  }

  @Test
  void progressThatArrivesBeforeItsMessageIsAppliedWhenItComes() {
    replica.apply(List.of(new ReplicaOp.SaveSession(session("c")),
        new ReplicaOp.Progress("c", 1, QueuedMessage.Progress.RELEASED),
        new ReplicaOp.Progress("c", 1, QueuedMessage.Progress.SENT)));
    replica.apply(List.of(new ReplicaOp.Enqueue("c", queued(1, "a"))));

    assertThat(only().queue().get(0).progress()).isEqualTo(QueuedMessage.Progress.RELEASED);
  }

  @Test
  void aDeletedSessionIsGoneAndAResetForgetsEverySession() {
    replica.apply(List.of(new ReplicaOp.SaveSession(session("c")), new ReplicaOp.SaveSession(session("d")),
        new ReplicaOp.DeleteSession("c")));
    assertThat(only().clientId()).isEqualTo("d");

    replica.apply(List.of(new ReplicaOp.Reset()));

    assertThat(replica.states()).isEmpty();
  }

  @Test
  void changesOfASessionWhoseRecordNeverCameAreNotASession() {
    replica.apply(List.of(new ReplicaOp.Enqueue("ended", queued(1, "a"))));

    assertThat(replica.states()).isEmpty();
  }
}
