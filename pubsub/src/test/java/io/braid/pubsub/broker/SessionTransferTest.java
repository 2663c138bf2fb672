package io.braid.pubsub.broker;

import static io.braid.pubsub.broker.BrokerFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.pubsub.broker.BrokerFixture.Client;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.ForwardingBrokerStore;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A persistent session handed over by one broker and adopted by another, as two nodes of a cluster do. */
class SessionTransferTest {

  private final BrokerFixture from = new BrokerFixture();
  private final BrokerFixture to = new BrokerFixture();

  @AfterEach
  void close() {
    from.broker.close();
    to.broker.close();
  }

  @Test
  void adoptedSessionKeepsItsQueueInOrderAndItsSubscriptions() {
    Client subscriber = from.connectPersistent("s");
    subscriber.subscribe("t/+", 2);
    subscriber.session().connectionLost();
    Client publisher = from.connectClean("p");
    publisher.publish("t/1", "1", 1);
    publisher.publish("t/2", "2", 2);

    SessionState state = join(from.broker.handOver("s"));
    assertThat(join(to.broker.adopt(state))).isTrue();

    Client resumed = to.connectPersistent("s");
    assertThat(resumed.connect().sessionPresent()).isTrue();
    resumed.assertReceived("1", "2");
    to.connectClean("q").publish("t/3", "3", 1);
    assertThat(resumed.link().payloads()).containsExactly("1", "2", "3");
  }

  @Test
  void handingOverClosesTheConnectionAsTakenOverAndDeletesTheSessionThere() {
    Client subscriber = from.connectPersistent("s");
    subscriber.subscribe("t", 1);

    SessionState state = join(from.broker.handOver("s"));

    assertThat(state.session().subscriptions()).hasSize(1);
    assertThat(subscriber.link().closes).containsExactly(DisconnectCause.SESSION_TAKEN_OVER);
    assertThat(from.broker.hasSession("s")).isFalse();
    from.restart();
    assertThat(from.broker.hasSession("s")).as("deleted from the store").isFalse();
  }

  @Test
  void aMessageRoutedToTheSessionWhileItMovesAwayIsHandedOverWithIt() {
    Client subscriber = from.connectPersistent("s");
    subscriber.subscribe("t", 1);
    Client publisher = from.connectClean("p");
    // routed to the session as it leaves: its executor takes the message only after the session ended here
    subscriber.link().onClose = () -> publisher.publish("t", "during", 1);

    SessionState state = join(from.broker.handOver("s"));

    assertThat(state.queue()).extracting(queued -> new String(queued.message().payload(), StandardCharsets.UTF_8))
        .containsExactly("during");
  }

  @Test
  void aClientAttachingWhileItsSessionIsAdoptedGetsItOnceItIsRestored() throws Exception {
    from.connectPersistent("s").subscribe("t", 1);
    SessionState state = join(from.broker.handOver("s"));
    PausingStore store = new PausingStore(new InMemoryStore());
    BrokerFixture slow = new BrokerFixture(BrokerOptions.DEFAULTS, store);
    try {
      store.pauseNext();
      CompletableFuture<Boolean> adopted = CompletableFuture.supplyAsync(() -> join(slow.broker.adopt(state)));
      assertThat(store.paused.await(5, TimeUnit.SECONDS)).as("the adoption is writing the session").isTrue();

      CompletableFuture<ConnectResult> connecting = slow.broker.connect(ConnectRequest.persistent("s", 3600),
          new RecordingLink(), BrokerFixture.DIRECT);
      store.release.countDown();

      assertThat(join(connecting).sessionPresent()).as("the adopted session, restored").isTrue();
      assertThat(join(adopted)).isTrue();
    } finally {
      store.release.countDown();
      slow.broker.close();
    }
  }

  @Test
  void aClientConnectingWhileItsSessionLeavesForAnotherNodeAsksWhereItWent() {
    HoldingStore store = new HoldingStore(new InMemoryStore());
    List<String> asked = new CopyOnWriteArrayList<>();
    CompletableFuture<SessionState> elsewhere = new CompletableFuture<>();
    Broker broker = Broker.builder().store(store).offlineExecutor(BrokerFixture.DIRECT)
        .sessionSource(clientId -> {
          asked.add(clientId);
          return asked.size() == 1 ? CompletableFuture.completedFuture(null) : elsewhere;
        }).build();
    try {
      join(broker.connect(ConnectRequest.persistent("s", 3600), new RecordingLink(), BrokerFixture.DIRECT))
          .handle().start();
      store.holdSyncs();
      CompletableFuture<SessionState> leaving = broker.handOver("s"); // ended here, its state not yet read

      CompletableFuture<ConnectResult> again = broker.connect(ConnectRequest.persistent("s", 3600),
          new RecordingLink(), BrokerFixture.DIRECT);

      assertThat(asked).as("asked where the session went, not given a new one here").containsExactly("s", "s");
      assertThat(again).isNotDone();
      store.released.complete(null);
      assertThat(join(leaving)).isNotNull();
      elsewhere.complete(null);
      assertThat(again).succeedsWithin(Duration.ofSeconds(5));
    } finally {
      store.released.complete(null);
      broker.close();
    }
  }

  @Test
  void aMessageStillBeingWrittenAsTheSessionLeavesIsHandedOverWithIt() throws Exception {
    PausingStore store = new PausingStore(new InMemoryStore());
    BrokerFixture paused = new BrokerFixture(BrokerOptions.DEFAULTS, store);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Client subscriber = paused.connectPersistent("s");
      subscriber.subscribe("t", 1);
      subscriber.session().connectionLost();
      Client publisher = paused.connectClean("p");
      store.pauseNextEnqueue();
      // routed to the session while it is here; its entry is being written when the move reads the queue
      threads.submit(() -> publisher.publish("t", "late", 1));
      assertThat(store.paused.await(5, TimeUnit.SECONDS)).as("the offer is writing its entry").isTrue();

      Future<SessionState> leaving = threads.submit(() -> join(paused.broker.handOver("s")));
      assertThatThrownBy(() -> leaving.get(500, TimeUnit.MILLISECONDS)).as("the move waits for the entry")
          .isInstanceOf(TimeoutException.class);
      store.release.countDown();

      assertThat(leaving.get(5, TimeUnit.SECONDS).queue())
          .extracting(queued -> new String(queued.message().payload(), StandardCharsets.UTF_8))
          .containsExactly("late");
    } finally {
      store.release.countDown();
      threads.shutdownNow();
      paused.broker.close();
    }
  }

  /** A store whose syncs, once held, complete only when the test releases them. */
  private static final class HoldingStore extends ForwardingBrokerStore {
    final CompletableFuture<Void> released = new CompletableFuture<>();
    private volatile boolean holding;

    HoldingStore(BrokerStore delegate) {
      super(delegate);
    }

    void holdSyncs() {
      holding = true;
    }

    @Override
    public CompletableFuture<Void> sync() {
      CompletableFuture<Void> synced = super.sync();
      return holding ? synced.thenCombine(released, (a, b) -> null) : synced;
    }
  }

  /** A store whose next group of changes, or next enqueue, waits until the test releases it. */
  private static final class PausingStore extends ForwardingBrokerStore {
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean pauseNext;
    private volatile boolean pauseNextEnqueue;

    PausingStore(BrokerStore delegate) {
      super(delegate);
    }

    void pauseNext() {
      pauseNext = true;
    }

    void pauseNextEnqueue() {
      pauseNextEnqueue = true;
    }

    @Override
    public <T> T atomically(Supplier<T> changes) {
      if (pauseNext) {
        pauseNext = false;
        pauseHere();
      }
      return super.atomically(changes);
    }

    @Override
    public void enqueue(String clientId, QueuedMessage message) {
      if (pauseNextEnqueue) {
        pauseNextEnqueue = false;
        pauseHere();
      }
      super.enqueue(clientId, message);
    }

    private void pauseHere() {
      paused.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void inFlightMessagesAreResentWithDupAfterTheMove() {
    Client subscriber = from.connectPersistent("s");
    subscriber.subscribe("t", 1);
    from.connectClean("p").publish("t", "m", 1);
    int packetId = subscriber.link().last().packetId();

    join(to.broker.adopt(join(from.broker.handOver("s"))));

    Client again = to.connectPersistent("s");
    assertThat(again.link().last().dup()).isTrue();
    assertThat(again.link().last().packetId()).isEqualTo(packetId);
  }

  @Test
  void inboundQos2PacketIdsMoveSoARetransmissionIsNotDeliveredTwice() {
    Client subscriber = to.connectPersistent("sub");
    subscriber.subscribe("t", 2);
    Client publisher = from.connectPersistent("p");
    ApplicationMessage message = ApplicationMessage.of("p", "t", BrokerFixture.bytes("once"), 2, false);
    publisher.session().publish(message, 7);
    publisher.session().connectionLost();

    join(to.broker.adopt(join(from.broker.handOver("p"))));

    Client again = to.connectPersistent("p");
    again.session().publish(message, 7); // the retransmission of a PUBLISH whose PUBREC was lost
    assertThat(subscriber.link().payloads()).isEmpty();
  }

  @Test
  void anUndelayedWillGoesWhenTheSessionMovesAndIsNotTakenAlong() {
    Client watcher = from.connectClean("w");
    watcher.subscribe("wills", 0);
    Will will = new Will(ApplicationMessage.of("s", "wills", BrokerFixture.bytes("gone"), 0, false), 0);
    from.connect(ConnectRequest.persistent("s", 3600).withWill(will));

    SessionState state = join(from.broker.handOver("s"));

    watcher.assertReceived("gone");
    assertThat(state.session().will()).isNull();
  }

  @Test
  void aSessionAlreadyHereIsNotReplaced() {
    from.connectPersistent("s").subscribe("a", 1);
    to.connectPersistent("s").subscribe("b", 1);

    assertThat(join(to.broker.adopt(join(from.broker.handOver("s"))))).isFalse();

    to.connectClean("p").publish("a", "not subscribed here", 1);
    Client again = to.connectPersistent("s");
    to.connectClean("q").publish("b", "subscribed here", 1);
    again.assertReceived("subscribed here");
  }

  @Test
  void aSessionMovedAwayStaysStoredUntilTheOtherNodeHasIt() {
    Client subscriber = from.connectPersistent("s");
    subscriber.subscribe("t/+", 1);

    SessionState state = join(from.broker.moveAway("s"));

    assertThat(state.clientId()).isEqualTo("s");
    assertThat(from.broker.hasSession("s")).isFalse();
    assertThat(from.store.loadSession("s")).as("kept until forgotten").isNotNull();
    from.broker.forgetMovedAway("s");
    assertThat(from.store.loadSession("s")).isNull();
  }

  @Test
  void aSessionMovedAwayThatNeverArrivedIsBackWithItsQueue() {
    Client subscriber = from.connectPersistent("s");
    subscriber.subscribe("t/+", 1);
    subscriber.session().connectionLost();
    from.connectClean("p").publish("t/1", "queued", 1);
    SessionState state = join(from.broker.moveAway("s"));

    assertThat(from.broker.restoreMovedAway(state)).isTrue();

    Client back = from.connectPersistent("s");
    assertThat(back.connect().sessionPresent()).isTrue();
    back.assertReceived("queued");
    from.connectClean("p").publish("t/2", "routed again", 1);
    back.assertReceived("queued", "routed again");
    assertThat(from.broker.restoreMovedAway(state)).as("one is here already").isFalse();
  }

  @Test
  void aClientWithoutAPersistentSessionHandsOverNothing() {
    Client clean = from.connectClean("c");

    assertThat(join(from.broker.handOver("c"))).isNull();
    assertThat(join(from.broker.handOver("nobody"))).isNull();
    assertThat(clean.link().closes).containsExactly(DisconnectCause.SESSION_TAKEN_OVER);
  }
}
