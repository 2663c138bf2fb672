package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  /** An executor that runs nothing until told, and remembers which tasks it ran. */
  private static final class Manual implements Executor {
    final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    final String name;

    Manual(String name) {
      this.name = name;
    }

    @Override
    public void execute(Runnable command) {
      queue.add(command);
    }

    void runAll() {
      while (!queue.isEmpty()) {
        queue.poll().run();
      }
    }
  }

  @Test
  void runsTasksOneAtATimeInSubmissionOrder() {
    Manual loop = new Manual("loop");
    SerialExecutor executor = new SerialExecutor(loop);
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int task = i;
      executor.execute(() -> ran.add(task));
    }

    loop.runAll();

    assertThat(ran).hasSize(200).isSorted();
  }

  @Test
  void tasksAfterAMoveRunOnTheNewDelegateEvenIfADrainWasUnderway() {
    Manual offline = new Manual("offline");
    Manual eventLoop = new Manual("event loop");
    SerialExecutor executor = new SerialExecutor(offline);
    List<String> ranOn = new ArrayList<>();
    String[] current = {"offline"};
    executor.execute(() -> ranOn.add("before:" + current[0]));
    executor.execute(() -> executor.moveTo(eventLoop)); // the move happens inside the drain (a connect)
    executor.execute(() -> ranOn.add("after:" + current[0]));

    offline.runAll();
    current[0] = "event loop";
    eventLoop.runAll();

    assertThat(ranOn).containsExactly("before:offline", "after:event loop");
  }

  @Test
  void yieldsTheDelegateAfterABatchSoOneBusySessionCannotStarveTheLoop() {
    Manual loop = new Manual("loop");
    SerialExecutor executor = new SerialExecutor(loop);
    int[] ran = {0};
    for (int i = 0; i < SerialExecutor.BATCH * 2; i++) {
      executor.execute(() -> ran[0]++);
    }

    loop.queue.poll().run();

    assertThat(ran[0]).isEqualTo(SerialExecutor.BATCH);
    assertThat(loop.queue).hasSize(1); // the rest was resubmitted behind whatever else the loop has to do
  }
}
