package io.braid.pubsub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  private final RecordingJournal journal = new RecordingJournal();
  private final GroupCommitter committer = new GroupCommitter("test-committer", journal, SyncPolicy.FSYNC);

  @AfterEach
  void close() {
    committer.close();
  }

  @Test
  void appliesChangesInSubmissionOrder() throws Exception {
    List<Integer> applied = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      int value = i;
      committer.submit(() -> applied.add(value));
    }
    committer.sync().get(5, TimeUnit.SECONDS);

    assertThat(committer.call(() -> List.copyOf(applied))).hasSize(1_000).isSorted();
  }

  @Test
  void completesASyncOnlyAfterACommitThatFollowsEveryEarlierChange() throws Exception {
    committer.submit(() -> journal.events.add("change"));
    committer.sync().get(5, TimeUnit.SECONDS);

    assertThat(journal.events).containsExactly("change", "write", "force");
  }

  @Test
  void syncsRequestedWhileTheWriterIsBusyShareOneCommit() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    committer.submit(() -> {
      busy.countDown();
      awaitLatch(release);
    });
    assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      committer.submit(() -> { });
      syncs.add(committer.sync());
    }
    release.countDown();
    CompletableFuture.allOf(syncs.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);

    assertThat(committer.commitCount()).isEqualTo(1);
    assertThat(committer.syncCount()).isEqualTo(100);
  }

  @Test
  void commitsChangesNoSyncWaitsForWithinTheIdleInterval() {
    committer.submit(() -> journal.events.add("change"));

    await().atMost(Duration.ofMillis(GroupCommitter.IDLE_COMMIT_MILLIS * 3))
        .until(() -> journal.events.contains("force"));
  }

  @Test
  void writePolicyCommitsWithoutForcingEachTime() throws Exception {
    RecordingJournal writeJournal = new RecordingJournal();
    try (GroupCommitter writeOnly = new GroupCommitter("test-write", writeJournal, SyncPolicy.WRITE)) {
      writeOnly.submit(() -> { });
      writeOnly.sync().get(5, TimeUnit.SECONDS);
      writeOnly.submit(() -> { });
      writeOnly.sync().get(5, TimeUnit.SECONDS);

      // forced only once a second: the two syncs completed after their writes alone
      assertThat(writeJournal.events.stream().filter("write"::equals).count())
          .isGreaterThan(writeJournal.events.stream().filter("force"::equals).count());
    }
  }

  @Test
  void aFailedCommitFailsItsSyncsAndEveryLaterOne() {
    journal.failWith = new IOException("No space left on device");
    committer.submit(() -> { });

    assertThatThrownBy(() -> committer.sync().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(StoreException.class).hasMessageContaining("No space left on device");
    journal.failWith = null;
    assertThatThrownBy(() -> committer.sync().get(5, TimeUnit.SECONDS))
        .cause().isInstanceOf(StoreException.class).hasMessageContaining("No space left on device");
    assertThat(committer.failure()).isNotNull();
  }

  @Test
  void changesAfterAFailureAreNotApplied() throws Exception {
    journal.failWith = new IOException("I/O error");
    committer.submit(() -> { });
    assertThatThrownBy(() -> committer.sync().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

    List<String> applied = new CopyOnWriteArrayList<>();
    committer.submit(() -> applied.add("late"));

    assertThatThrownBy(() -> committer.call(() -> "read")).isInstanceOf(StoreException.class);
    assertThat(applied).isEmpty();
  }

  @Test
  void aChangeThatThrowsStopsTheStore() {
    committer.submit(() -> {
      throw new IllegalStateException("corrupt page");
    });

    assertThatThrownBy(() -> committer.sync().get(5, TimeUnit.SECONDS))
        .cause().isInstanceOf(StoreException.class).hasMessageContaining("corrupt page");
  }

  @Test
  void closeAppliesAndCommitsEverythingSubmitted() {
    committer.submit(() -> journal.events.add("change"));
    committer.close();

    assertThat(journal.events).containsExactly("change", "write", "force");
  }

  @Test
  void closeWaitsForTheLastForce() throws Exception {
    journal.forceGate = new CountDownLatch(1);
    committer.submit(() -> journal.events.add("change"));
    Thread closer = new Thread(committer::close, "closer");
    closer.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> journal.forcing.getCount() == 0);

    closer.join(200);
    assertThat(closer.isAlive()).isTrue();
    journal.forceGate.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(5));

    assertThat(closer.isAlive()).isFalse();
    assertThat(journal.events).containsExactly("change", "write", "force");
  }

  @Test
  void aFailedForceFailsItsSyncsAndEveryLaterOne() {
    journal.forceFailWith = new IOException("Input/output error");
    committer.submit(() -> { });

    assertThatThrownBy(() -> committer.sync().get(5, TimeUnit.SECONDS))
        .cause().isInstanceOf(StoreException.class).hasMessageContaining("forcing to the device failed")
        .hasMessageContaining("Input/output error");
    journal.forceFailWith = null;
    assertThatThrownBy(() -> committer.sync().get(5, TimeUnit.SECONDS))
        .cause().isInstanceOf(StoreException.class).hasMessageContaining("Input/output error");
    assertThat(committer.forceCount()).isZero();
  }

  @Test
  void syncAfterCloseFails() {
    committer.close();

    assertThat(committer.sync()).isCompletedExceptionally();
    assertThatThrownBy(() -> committer.call(() -> "read")).isInstanceOf(StoreException.class);
  }

  @Test
  void holdsACommitBackUntilTheOpenGroupEnds() throws Exception {
    committer.beginGroup();
    committer.submit(() -> journal.events.add("copy"));
    CompletableFuture<Void> sync = committer.sync();
    await().atMost(Duration.ofSeconds(5)).until(() -> committer.backlog() == 0);

    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !sync.isDone());
    committer.submit(() -> journal.events.add("packet id"));
    committer.endGroup();
    sync.get(5, TimeUnit.SECONDS);

    assertThat(journal.events).containsExactly("copy", "packet id", "write", "force");
  }

  @Test
  void neverCommitsPartOfAGroupWhileOtherThreadsSubmitAndSync() throws Exception {
    int[] copiesWithoutId = {0};
    List<String> violations = new CopyOnWriteArrayList<>();
    GroupCommitter.Journal checking = new GroupCommitter.Journal() {
      @Override
      public void write() {
        if (copiesWithoutId[0] != 0) { // applied changes are confined to the writer thread, as commits are
          violations.add(copiesWithoutId[0] + " copies committed without their packet identifier");
        }
      }

      @Override
      public void force() {
      }

      @Override
      public void maintain() {
      }
    };
    try (GroupCommitter grouped = new GroupCommitter("grouped", checking, SyncPolicy.WRITE)) {
      List<Thread> publishers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread publisher = new Thread(() -> {
          for (int i = 0; i < 5_000; i++) {
            grouped.beginGroup();
            try {
              grouped.submit(() -> copiesWithoutId[0]++);
              grouped.submit(() -> copiesWithoutId[0]++);
              grouped.submit(() -> copiesWithoutId[0] -= 2);
            } finally {
              grouped.endGroup();
            }
            if (i % 50 == 0) {
              grouped.sync();
            }
          }
        }, "publisher-" + t);
        publisher.start();
        publishers.add(publisher);
      }
      for (int i = 0; i < 2_000; i++) {
        grouped.sync().get(5, TimeUnit.SECONDS);
      }
      for (Thread publisher : publishers) {
        publisher.join(TimeUnit.SECONDS.toMillis(30));
      }
      grouped.sync().get(5, TimeUnit.SECONDS);

      assertThat(grouped.commitCount()).isGreaterThan(10);
    }
    assertThat(violations).isEmpty();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Records writes and forces; fails them while {@link #failWith} or {@link #forceFailWith} is set; a force waits
   * for {@link #forceGate} once set, and {@link #forcing} counts down when the first force begins.
   */
  private static final class RecordingJournal implements GroupCommitter.Journal {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch forcing = new CountDownLatch(1);
    volatile Exception failWith;
    volatile Exception forceFailWith;
    volatile CountDownLatch forceGate;

    @Override
    public void write() throws Exception {
      Exception failure = failWith;
      if (failure != null) {
        throw failure;
      }
      events.add("write");
    }

    @Override
    public void force() throws Exception {
      forcing.countDown();
      CountDownLatch gate = forceGate;
      if (gate != null) {
        awaitLatch(gate);
      }
      Exception failure = forceFailWith;
      if (failure != null) {
        throw failure;
      }
      events.add("force");
    }

    @Override
    public void maintain() {
    }
  }
}
