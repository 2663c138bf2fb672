package io.braid.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreCommitsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A store whose syncs complete when the test says. */
  private static final class SlowStore implements ClientStore {
    final List<CompletableFuture<Void>> syncs = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> sync() {
      CompletableFuture<Void> sync = new CompletableFuture<>();
      syncs.add(sync);
      return sync;
    }

    @Override
    public CompletableFuture<Void> commit() {
      return sync();
    }

    @Override
    public Snapshot load() {
      return new Snapshot(List.of(), Set.of());
    }

    @Override
    public void putPublish(StoredPublish publish) {
    }

    @Override
    public void releasePublish(int packetId) {
    }

    @Override
    public void removePublish(int packetId) {
    }

    @Override
    public void addReceivedQos2(int packetId) {
    }

    @Override
    public void removeReceivedQos2(int packetId) {
    }

    @Override
    public void close() {
    }
  }

  private void onContext(Context context, Runnable action) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    context.runOnContext(v -> {
      action.run();
      done.countDown();
    });
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void withTheMemoryStoreEveryChangeIsDurableAtOnce() throws Exception {
    Context context = vertx.getOrCreateContext();
    StoreCommits commits = new StoreCommits(vertx, context, ClientStore.memory(), () -> { });
    long[] change = new long[1];
    onContext(context, () -> change[0] = commits.changed());

    assertThat(commits.isDurable(change[0])).isTrue();
  }

  @Test
  void changesMadeDuringASyncShareTheNextOne() throws Exception {
    Context context = vertx.getOrCreateContext();
    SlowStore store = new SlowStore();
    AtomicInteger durableCalls = new AtomicInteger();
    StoreCommits commits = new StoreCommits(vertx, context, store, durableCalls::incrementAndGet);
    long[] changes = new long[3];

    onContext(context, () -> changes[0] = commits.changed());
    onContext(context, () -> changes[1] = commits.changed());
    onContext(context, () -> changes[2] = commits.changed());
    assertThat(store.syncs).hasSize(1); // the two later changes wait for the first sync to end
    assertThat(commits.isDurable(changes[0])).isFalse();

    store.syncs.get(0).complete(null);
    await().until(() -> durableCalls.get() == 1);
    assertThat(commits.isDurable(changes[0])).isTrue();
    assertThat(commits.isDurable(changes[1])).isFalse();
    assertThat(store.syncs).hasSize(2); // one more, for both

    store.syncs.get(1).complete(null);
    await().until(() -> durableCalls.get() == 2);
    assertThat(commits.isDurable(changes[2])).isTrue();
    assertThat(store.syncs).hasSize(2);
  }
}
