package io.braid.server.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AckQueueTest {

  private final AckQueue queue = new AckQueue();
  private final List<Integer> sent = new ArrayList<>();

  private void release() {
    queue.release(pending -> sent.add(pending.packetId()));
  }

  @Test
  void anAcknowledgementDecidedEarlyWaitsForTheOnesBeforeIt() {
    AckQueue.Pending durable = queue.add(1, 1);
    AckQueue.Pending immediate = queue.add(1, 2);
    immediate.decide(0x10, null);
    release();
    assertThat(sent).isEmpty();

    durable.decide(0x00, null);
    release();

    assertThat(sent).containsExactly(1, 2);
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aSilencedPublishIsReleasedInItsTurnSoThatTheOnesAfterItAreNotHeldBack() {
    AckQueue.Pending takenOver = queue.add(2, 1);
    AckQueue.Pending next = queue.add(1, 2);
    next.decide(0x00, null);
    takenOver.silence();
    List<Boolean> silent = new ArrayList<>();

    queue.release(pending -> silent.add(pending.silent()));

    assertThat(silent).containsExactly(true, false);
  }

  @Test
  void aRefusalKeepsItsReasonAndPlace() {
    queue.add(1, 1);
    AckQueue.Pending refused = queue.add(2, 2);
    refused.decide(0x87, "not authorized");
    release();

    assertThat(sent).isEmpty();
    assertThat(queue.size()).isEqualTo(2);
    assertThat(refused.reasonCode()).isEqualTo(0x87);
    assertThat(refused.reason()).isEqualTo("not authorized");
  }

  /** Whatever order the outcomes come in, what is released is a prefix of the arrival order, and in the end all. */
  @Property
  void releasesInArrivalOrderWhateverTheOrderOfOutcomes(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 1000) Integer> decisionOrder) {
    AckQueue queue = new AckQueue(); // one per try: jqwik shares the instance between tries
    List<Integer> sent = new ArrayList<>();
    int count = decisionOrder.size();
    List<AckQueue.Pending> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pending.add(queue.add(1, i + 1));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      order.add(i);
    }
    order.sort((a, b) -> Integer.compare(decisionOrder.get(a), decisionOrder.get(b)));
    for (int index : order) {
      pending.get(index).decide(0, null);
      queue.release(released -> sent.add(released.packetId()));
      for (int i = 0; i < sent.size(); i++) {
        assertThat(sent.get(i)).isEqualTo(i + 1);
      }
    }
    assertThat(sent).hasSize(count);
  }
}
