package io.braid.pubsub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on disk, where reopening reads the file again, and what only a durable store must do. */
class MVStoreBrokerStoreTest extends BrokerStoreContract {

  @TempDir
  Path directory;

  @Override
  BrokerStore open() {
    return MVStoreBrokerStore.open(directory, SyncPolicy.FSYNC);
  }

  @Override
  BrokerStore reopen(BrokerStore closing) {
    closing.close();
    return open();
  }

  @AfterEach
  void diskHasSpaceAgain() {
    FaultyFilePath.diskFull(false);
  }

  @Test
  void createsItsFileInTheDataDirectory() {
    assertThat(directory.resolve(MVStoreBrokerStore.FILE_NAME)).isRegularFile();
  }

  @Test
  void createsAMissingDataDirectory() {
    Path nested = directory.resolve("not/yet/there");
    MVStoreBrokerStore.open(nested, SyncPolicy.WRITE).close();

    assertThat(nested.resolve(MVStoreBrokerStore.FILE_NAME)).isRegularFile();
  }

  @Test
  void storesAMessageQueuedForManySessionsOnceAndDeletesItWithItsLastEntry() {
    MVStoreBrokerStore durable = (MVStoreBrokerStore) store;
    for (int i = 0; i < 100; i++) {
      durable.enqueue("s" + i, queued(1, message(7, "p", "t", "m", 1)));
    }
    assertThat(durable.storedMessageCount()).isEqualTo(1);

    for (int i = 0; i < 99; i++) {
      durable.dequeue("s" + i, 1);
    }
    assertThat(durable.storedMessageCount()).isEqualTo(1);
    durable.deleteSession("s99");

    assertThat(durable.storedMessageCount()).isZero();
  }

  @Test
  void countsReferencesAgainAfterAReopen() {
    store.enqueue("a", queued(1, message(7, "p", "t", "m", 1)));
    store.enqueue("b", queued(1, message(7, "p", "t", "m", 1)));
    store = reopen(store);

    store.dequeue("a", 1);
    MVStoreBrokerStore durable = (MVStoreBrokerStore) store;
    assertThat(durable.storedMessageCount()).isEqualTo(1);
    store.dequeue("b", 1);
    assertThat(durable.storedMessageCount()).isZero();
  }

  @Test
  void concurrentSyncsShareCommits() throws Exception {
    MVStoreBrokerStore durable = (MVStoreBrokerStore) store;
    List<Thread> publishers = new ArrayList<>();
    List<CompletableFuture<Void>> syncs = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      String client = "c" + t;
      publishers.add(new Thread(() -> {
        for (int i = 1; i <= 500; i++) {
          durable.enqueue(client, queued(i, message(i, "p", "t", "m", 1)));
          syncs.add(durable.sync());
        }
      }));
    }
    long commitsBefore = durable.stats().commits();
    publishers.forEach(Thread::start);
    for (Thread publisher : publishers) {
      publisher.join(10_000);
    }
    CompletableFuture.allOf(syncs.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);

    assertThat(syncs).hasSize(2_000);
    assertThat(durable.stats().commits() - commitsBefore).isLessThan(2_000);
    assertThat(reopenAndLoadQueues()).hasSize(4).allSatisfy((client, queue) -> assertThat(queue).hasSize(500));
  }

  @Test
  void aSyncDuringAnAtomicGroupCompletesOnlyWithTheWholeGroup() throws Exception {
    CompletableFuture<Void> sync = store.atomically(() -> {
      store.enqueue("subscriber", queued(1, message(7, "publisher", "t", "m", 2)));
      CompletableFuture<Void> during = CompletableFuture.supplyAsync(store::sync).join();
      org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(100))
          .atMost(java.time.Duration.ofSeconds(2)).until(() -> !during.isDone());
      store.addInboundPacketId("publisher", 42);
      return during;
    });
    sync.get(5, TimeUnit.SECONDS);

    store = reopen(store);
    StoreSnapshot snapshot = store.load();
    assertThat(snapshot.queues()).containsKey("subscriber");
    assertThat(snapshot.inboundPacketIds()).containsEntry("publisher", java.util.Set.of(42));
  }

  @Test
  void aCorruptFileIsAClearErrorNamingIt() throws IOException {
    store.close();
    Path file = directory.resolve(MVStoreBrokerStore.FILE_NAME);
    byte[] garbage = new byte[8192];
    java.util.Arrays.fill(garbage, (byte) 0x5A);
    Files.write(file, garbage, StandardOpenOption.TRUNCATE_EXISTING);

    assertThatThrownBy(this::open).isInstanceOf(StoreException.class).hasMessageContaining(file.toString())
        .hasMessageContaining("restore the data directory from a backup");
    store = open(directory.resolve("fresh"));
  }

  @Test
  void aStoreInUseByAnotherBrokerIsAClearError() {
    assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
        .hasMessageContaining("If another broker uses this data directory, stop it");
  }

  @Test
  void aLayout1FileIsUpgradedAndItsQueuedMessagesCountAsSentAsLayout1Assumed() throws Exception {
    store.enqueue("c", queued(1, message(7, "p", "t", "m", 1)));
    store.sync().get(5, TimeUnit.SECONDS);
    store.close();
    try (MVStore raw = MVStore.open(directory.resolve(MVStoreBrokerStore.FILE_NAME).toString())) {
      raw.<String, String>openMap("braid").put("format", MVStoreBrokerStore.LAYOUT_WITHOUT_SENT);
      raw.commit();
    }

    store = open();

    assertThat(store.load().queues().get("c")).singleElement().extracting(QueuedMessage::progress)
        .isEqualTo(QueuedMessage.Progress.SENT);
    store.close();
    try (MVStore raw = MVStore.open(directory.resolve(MVStoreBrokerStore.FILE_NAME).toString())) {
      assertThat(raw.<String, String>openMap("braid").get("format")).isEqualTo(MVStoreBrokerStore.LAYOUT);
    }
    store = open();
  }

  @Test
  void aFileOfAnotherLayoutVersionIsRefused() {
    store.close();
    try (MVStore raw = MVStore.open(
        directory.resolve(MVStoreBrokerStore.FILE_NAME).toString())) {
      raw.<String, String>openMap("braid").put("format", "99");
      raw.commit();
    }

    assertThatThrownBy(this::open).isInstanceOf(StoreException.class).hasMessageContaining("layout version 99");
    store = open(directory.resolve("fresh"));
  }

  @Test
  void aFullDiskFailsTheSyncWithTheReasonAndEveryLaterOne() throws Exception {
    store.close();
    store = MVStoreBrokerStore.open(FaultyFilePath.of(directory.resolve("faulty.mv.db")), SyncPolicy.FSYNC);
    store.enqueue("c", queued(1, message(1, "p", "t", "before", 1)));
    store.sync().get(5, TimeUnit.SECONDS);

    FaultyFilePath.diskFull(true);
    store.enqueue("c", queued(2, message(2, "p", "t", "during", 1)));

    assertThatThrownBy(() -> store.sync().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(StoreException.class).hasMessageContaining("No space left on device");
    FaultyFilePath.diskFull(false);
    store.enqueue("c", queued(3, message(3, "p", "t", "after", 1)));
    assertThatThrownBy(() -> store.sync().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(store.stats().failed()).isTrue();
  }

  @Test
  void afterAFullDiskTheStoreReopensWithEverySyncedChange() throws Exception {
    store.close();
    String file = FaultyFilePath.of(directory.resolve("faulty.mv.db"));
    store = MVStoreBrokerStore.open(file, SyncPolicy.FSYNC);
    store.enqueue("c", queued(1, message(1, "p", "t", "before", 1)));
    store.sync().get(5, TimeUnit.SECONDS);
    FaultyFilePath.diskFull(true);
    store.enqueue("c", queued(2, message(2, "p", "t", "during", 1)));
    assertThat(store.sync()).failsWithin(5, TimeUnit.SECONDS);
    store.close();

    FaultyFilePath.diskFull(false);
    store = MVStoreBrokerStore.open(file, SyncPolicy.FSYNC);

    assertThat(store.load().queues().get("c")).extracting(QueuedMessage::sequence).contains(1L);
  }

  @Test
  void aFileCutShortAfterItsLastCommitOpensAtAnEarlierCommit() throws Exception {
    for (int i = 1; i <= 20; i++) {
      store.enqueue("c", queued(i, message(i, "p", "t", "m" + i, 1)));
      store.sync().get(5, TimeUnit.SECONDS);
    }
    store.close();
    Path file = directory.resolve(MVStoreBrokerStore.FILE_NAME);
    long size = Files.size(file);
    try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size - 100);
    }

    store = open();

    assertThat(store.load().queues().get("c")).extracting(QueuedMessage::sequence).isNotEmpty().isSorted();
  }

  private java.util.Map<String, List<QueuedMessage>> reopenAndLoadQueues() {
    store = reopen(store);
    return store.load().queues();
  }

  private BrokerStore open(Path other) {
    return MVStoreBrokerStore.open(other, SyncPolicy.FSYNC);
  }
}
