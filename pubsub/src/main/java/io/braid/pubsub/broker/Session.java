package io.braid.pubsub.broker;

import io.braid.pubsub.history.TopicHistories;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.presence.LeaveReason;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.StoredSession;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client session (MQTT 5.0 §4.1): its connection, lifetime, will, outbound QoS flow and inbound QoS 2 packet
 * identifiers.
 *
 * <p><b>Threading:</b> the session is an actor. Its state is touched only by tasks on its {@link SerialExecutor},
 * which runs on the connected client's event loop, or on the broker's offline executor while no client is
 * connected. Publishers on other threads call {@link #offer}, which touches only the atomic counters and the store,
 * then hands the message to the executor. Fields read from other threads are volatile or atomic and say so.
 */
final class Session {

  /** A session expiry interval of 0xFFFFFFFF: the session never expires (MQTT 5.0 §3.1.2.11.2). */
  static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

  final String clientId;
  final SerialExecutor executor;
  private final Broker broker;
  private final OutboundFlow outbound;

  // Read by publishers on any thread.
  /** Next sequence number; a publisher takes it before handing the message over, so its order is kept. */
  private final AtomicLong nextSequence = new AtomicLong(1);
  /** Waiting messages, counted by publishers before they queue (to apply the limit without the executor). */
  private final AtomicInteger waitingCount = new AtomicInteger();
  /** Each subscription's overflow policy and queue limit. */
  final QueueLimits limits;
  private volatile boolean online;
  private volatile boolean persistent;
  private volatile boolean availableForShared;
  private volatile boolean ended;
  private volatile boolean movedAway; // ended here for another node, which takes over its stored state
  /** Publishers' offers in progress ({@link Fanout} enters it): a move reads the queue once they are written. */
  final OfferFence offers = new OfferFence();
  /** Inbound QoS 2 packet ids received, not yet released; written by the connection's thread. */
  final Set<Integer> inboundQos2 = ConcurrentHashMap.newKeySet();

  // Confined to the executor.
  private ClientLink link;
  private SessionHandle handle;
  private boolean started;
  private int window;
  private long expiryInterval;
  private long disconnectedAtMillis = StoredSession.CONNECTED;
  private Will will;
  private BrokerScheduler.Cancellable willTimer = BrokerScheduler.Cancellable.NONE;
  private BrokerScheduler.Cancellable expiryTimer = BrokerScheduler.Cancellable.NONE;
  /** False only for a session just created by the connect that is attaching to it. */
  private boolean hasState;
  /** The current connection was told to close for a queue overflow. */
  private boolean overflowClosing;
  /** Incremented by a clean start: messages offered before it belong to the discarded state. Read by publishers. */
  private volatile int generation;

  Session(Broker broker, String clientId, Executor offlineExecutor) {
    this.broker = broker;
    this.clientId = clientId;
    this.executor = new SerialExecutor(offlineExecutor);
    this.outbound = new OutboundFlow(clientId, broker.store(), broker.stats(), broker.clock(),
        nextSequence::getAndIncrement);
    this.limits = new QueueLimits(broker::options);
  }

  // ---------------------------------------------------------------- recovery

  /** Rebuilds a persistent session from the store at start-up, before any client connects. */
  void restore(StoredSession stored, List<QueuedMessage> queue, Set<Integer> inboundPacketIds) {
    hasState = true;
    persistent = true;
    expiryInterval = stored.sessionExpiryInterval();
    will = stored.will();
    // a client connected when the broker stopped lost its connection then: abnormally, so its will stands
    long disconnectedAt = stored.disconnectedAtMillis() == StoredSession.CONNECTED ? broker.clock().nowMillis()
        : stored.disconnectedAtMillis();
    long maxSequence = 0;
    for (QueuedMessage queued : queue) {
      OutboundEntry entry = OutboundEntry.recovered(queued);
      outbound.restore(entry);
      maxSequence = Math.max(maxSequence, queued.sequence());
    }
    nextSequence.set(maxSequence + 1);
    waitingCount.set(outbound.waitingCount());
    inboundQos2.addAll(inboundPacketIds);
    executor.execute(() -> scheduleAfterDisconnect(will != null, disconnectedAt));
  }

  // ---------------------------------------------------------------- connect and disconnect

  /** Attaches a new connection (MQTT 5.0 §3.1.4); completes {@code result} with {@code null} if the session ended. */
  void attach(ConnectRequest request, ClientLink newLink, Executor linkExecutor,
      CompletableFuture<ConnectResult> result) {
    if (ended) {
      result.complete(null);
      return;
    }
    willTimer.cancel();
    expiryTimer.cancel();
    if (link != null) {
      // [MQTT-3.1.4-3] the existing connection is closed; its will is due as for any abnormal close, but a will
      // delay is cut short by this very reconnection [MQTT-3.1.3-9], so only an undelayed will goes out
      // before the close: the old connection's own end (on its thread) must find it gone already
      broker.presence().leaveAll(clientId, handle, LeaveReason.TAKEN_OVER);
      link.close(DisconnectCause.SESSION_TAKEN_OVER);
      handle.detached();
      if (will != null && will.delayInterval() == 0) {
        publishWill();
      }
    }
    // [MQTT-3.1.3-9] a reconnection within the will delay cancels the will
    will = null;
    boolean sessionPresent = hasState && !request.cleanStart();
    if (request.cleanStart() && hasState) {
      resetState();
    }
    hasState = true;
    link = newLink;
    overflowClosing = false;
    handle = new SessionHandle(this, broker);
    started = false;
    window = Math.min(request.receiveMaximum(), broker.options().maxInflight());
    expiryInterval = Math.min(request.sessionExpiryInterval(), broker.options().maxSessionExpiryInterval());
    will = request.will();
    disconnectedAtMillis = StoredSession.CONNECTED;
    boolean wasPersistent = persistent;
    persistent = expiryInterval > 0;
    online = true;
    updateAvailability();
    executor.moveTo(linkExecutor);
    if (persistent) {
      saveState();
    } else if (wasPersistent) {
      broker.store().deleteSession(clientId);
    }
    result.complete(new ConnectResult(sessionPresent, expiryInterval, handle));
  }

  /** The server sent CONNACK: resend what was in flight, then deliver what waits. */
  void start(SessionHandle from) {
    if (from != handle || started) {
      return;
    }
    started = true;
    outbound.prepareResend();
    pump();
  }

  /**
   * The connection of {@code from} closed. {@code publishWill} is false after a normal DISCONNECT (reason 0x00),
   * which discards the will [MQTT-3.1.2-10]; {@code newExpiryInterval} is the DISCONNECT's session expiry, or -1.
   */
  void detach(SessionHandle from, boolean publishWill, long newExpiryInterval) {
    if (from != handle) {
      return; // taken over already
    }
    handle.detached();
    handle = null;
    link = null;
    online = false;
    updateAvailability();
    executor.moveTo(broker.offlineExecutor());
    if (newExpiryInterval >= 0) {
      expiryInterval = Math.min(newExpiryInterval, broker.options().maxSessionExpiryInterval());
    }
    scheduleAfterDisconnect(publishWill, broker.clock().nowMillis());
  }

  /** Closes the current connection (administrative action); the session continues as after a lost connection. */
  void kick() {
    if (handle != null) {
      SessionHandle current = handle;
      link.close(DisconnectCause.ADMINISTRATIVE_ACTION);
      detach(current, true, -1);
    }
  }

  /** Ends the session now (administrative removal, broker-side clean-up). */
  void end() {
    if (ended) {
      return;
    }
    ended = true;
    willTimer.cancel();
    expiryTimer.cancel();
    if (will != null) {
      publishWill(); // the session ends before the will delay: the will goes now [MQTT-3.1.3-9]
    }
    leaveThisNode(DisconnectCause.ADMINISTRATIVE_ACTION);
    if (persistent) {
      broker.store().deleteSession(clientId);
    }
    broker.sessionEnded(this);
  }

  /**
   * Ends the session here for another node to take over with its stored state (left in the store). As on any
   * takeover [MQTT-3.1.4-3] an undelayed will goes now. Returns the will that still stands (null: none).
   */
  Will moveAway() {
    willTimer.cancel();
    expiryTimer.cancel();
    if (link != null) {
      broker.presence().leaveAll(clientId, handle, LeaveReason.TAKEN_OVER);
      if (will != null && will.delayInterval() == 0) {
        publishWill();
      }
    }
    // out of the router before it ends: what was routed here is stored and handed over, the rest is relayed
    leaveThisNode(DisconnectCause.SESSION_TAKEN_OVER);
    movedAway = true;
    ended = true;
    return will;
  }

  private void leaveThisNode(DisconnectCause cause) {
    if (link != null) {
      link.close(cause);
      handle.detached();
      link = null;
    }
    online = false;
    updateAvailability();
    broker.router().removeSession(clientId);
    outbound.clear();
    limits.clear();
  }

  private void scheduleAfterDisconnect(boolean publishWill, long disconnectedAt) {
    if (!publishWill) {
      will = null;
    }
    disconnectedAtMillis = disconnectedAt;
    long now = broker.clock().nowMillis();
    if (expiryInterval == 0) {
      end();
      return;
    }
    if (will != null) {
      long delayMillis = Math.min(will.delayInterval(), expiryInterval) * 1000;
      long dueAt = disconnectedAtMillis + delayMillis;
      if (dueAt <= now) {
        publishWill();
      } else {
        willTimer = broker.scheduler().schedule(dueAt - now, () -> executor.execute(this::willDelayElapsed));
      }
    }
    saveState();
    if (expiryInterval != NEVER_EXPIRES) {
      long dueAt = disconnectedAtMillis + expiryInterval * 1000;
      if (dueAt <= now) {
        end();
      } else {
        expiryTimer = broker.scheduler().schedule(dueAt - now, () -> executor.execute(this::expiryElapsed));
      }
    }
  }

  private void willDelayElapsed() {
    if (!online && !ended && will != null) {
      publishWill();
      saveState();
    }
  }

  private void expiryElapsed() {
    if (!online && !ended) {
      end();
    }
  }

  private void publishWill() {
    Will due = will;
    will = null;
    broker.publish(due.message());
  }

  private void resetState() {
    broker.router().removeSession(clientId);
    generation++;
    // messages still on their way keep their count until they arrive and are dropped
    waitingCount.addAndGet(-outbound.waitingCount());
    outbound.clear();
    limits.clear();
    inboundQos2.clear();
    if (persistent) {
      broker.store().deleteSession(clientId);
    }
  }

  /** Writes the session record (subscriptions, will, disconnect time) if the session is persistent. */
  void saveState() {
    if (persistent && !ended) {
      broker.store().saveSession(new StoredSession(clientId, expiryInterval, disconnectedAtMillis, will,
          broker.router().subscriptions(clientId)));
    }
  }

  // ---------------------------------------------------------------- outbound

  /**
   * Hands {@code message} to this session at {@code qos} (called by publishers on any thread, within {@link #offers},
   * or on the session's own thread). Returns true if it was written to the store, so that the publisher's
   * acknowledgement must wait for a sync (or for {@code copies}, if not null, which counts the stored copy until its
   * subscriber acknowledges it). A QoS 2 delivery waits for {@code hold} (null: for nothing).
   */
  boolean offer(ApplicationMessage message, TopicFilter subscription, int qos, boolean retain,
      List<Integer> subscriptionIdentifiers, CompletableFuture<Void> hold, StoredCopies copies) {
    if (ended) {
      return false;
    }
    BrokerOptions options = broker.options();
    if (qos == 0 && !online && !(persistent && options.queueQos0WhenOffline())) {
      broker.stats().onDropped(DropReason.QOS0_OFFLINE);
      return false;
    }
    if (waitingCount.incrementAndGet() > options.maxQueuedMessages()) {
      QueueOverflowPolicy policy = limits.policy(subscription); // looked up only once the queue is full
      if (!QueueLimits.dropsQueued(policy)) {
        waitingCount.decrementAndGet();
        outbound.countDropped(subscription);
        broker.stats().onOverflow(policy);
        if (policy == QueueOverflowPolicy.DISCONNECT && online) {
          executor.execute(this::closeForOverflow);
        }
        return false;
      }
    }
    long sequence = nextSequence.getAndIncrement();
    boolean stored = qos > 0 && persistent;
    OutboundEntry entry = new OutboundEntry(sequence, subscription, message, qos, retain, subscriptionIdentifiers,
        stored);
    entry.generation = generation;
    entry.droppedBefore = outbound.takeDropped(subscription);
    if (stored) {
      broker.store().enqueue(clientId, entry.toQueued());
      entry.countIn(copies);
    }
    if (hold != null && qos == 2 && !hold.isDone()) {
      hold.whenComplete((done, failure) -> executor.execute(() -> accept(entry)));
    } else {
      executor.execute(() -> accept(entry));
    }
    return stored;
  }

  private void accept(OutboundEntry entry) {
    if (ended || entry.generation != generation) {
      // routed before the session ended or started clean: its state is gone, or (moved away) handed over with it
      waitingCount.decrementAndGet();
      outbound.forget(entry, movedAway);
      return;
    }
    if (!outbound.add(entry)) {
      waitingCount.decrementAndGet(); // for a subscription whose channel closed since: dropped
      return;
    }
    QueueOverflowPolicy policy = limits.policy(entry.subscription);
    int dropped = outbound.enforce(entry, policy, limits.maxQueued(entry.subscription), limits.sessionMax());
    if (dropped > 0) {
      waitingCount.addAndGet(-dropped);
      if (policy == QueueOverflowPolicy.DISCONNECT && online) {
        closeForOverflow();
      }
    }
    pump();
  }

  /** Sends what the window and the link allow. On the executor. */
  void pump() {
    if (link != null && started) {
      int left = outbound.pump(link, window);
      if (left > 0) {
        waitingCount.addAndGet(-left);
      }
    }
    updateAvailability();
  }

  void onPubAck(SessionHandle from, int packetId) {
    if (from == handle && outbound.onPubAck(packetId)) {
      pump();
    }
  }

  void onPubRec(SessionHandle from, int packetId, boolean failure) {
    if (from != handle) {
      return;
    }
    switch (outbound.onPubRec(packetId, failure, link)) {
      case ENDED -> pump();
      case RELEASE_WHEN_DURABLE -> broker.store().sync().whenComplete((done, error) -> executor.execute(() -> {
        if (error != null) {
          broker.storeFailed(clientId, error); // no PUBREL: the client keeps the identifier until a later attempt
        } else {
          outbound.releaseDurable(packetId, link);
        }
      }));
      default -> { }
    }
  }

  void onPubComp(SessionHandle from, int packetId) {
    if (from == handle && outbound.onPubComp(packetId)) {
      pump();
    }
  }

  void resume(SessionHandle from) {
    if (from == handle) {
      pump();
    }
  }

  private void closeForOverflow() {
    if (link != null && !overflowClosing) {
      overflowClosing = true; // once per connection: the close takes a moment to come back as a detach
      link.close(DisconnectCause.QUOTA_EXCEEDED);
    }
  }

  /** {@code subscription} was (re)subscribed: messages for it are taken again. Before the router learns of it. */
  void reinstate(SessionHandle from, TopicFilter subscription) {
    if (from == handle) {
      outbound.reinstate(subscription);
    }
  }

  /** {@code subscription} starts in history: what arrives for it from now on waits behind the replay. */
  void beginReplay(SessionHandle from, TopicFilter subscription) {
    if (from == handle) {
      outbound.beginReplay(subscription);
    }
  }

  /** The history read for {@code subscription} just after it was registered: it is sent first. */
  void replay(SessionHandle from, TopicFilter subscription, SubscriptionOptions options, TopicHistories.Replay replay) {
    if (from == handle) {
      outbound.replay(subscription, replay.messages(), replay.upTo(), options, generation);
      pump();
    }
  }

  /** The channel of {@code subscription} closed: what travels for it is dropped. */
  void abandon(SessionHandle from, TopicFilter subscription) {
    if (from == handle) {
      waitingCount.addAndGet(-outbound.abandon(subscription));
      pump();
    }
  }

  private void updateAvailability() {
    availableForShared = online && started && outbound.inflightCount() < window && outbound.waitingCount() == 0;
  }

  // ---------------------------------------------------------------- read from any thread

  /** Whether a shared subscription should pick this session now: connected, with room in its window. */
  boolean isAvailable() {
    return availableForShared;
  }

  boolean isOnline() {
    return online;
  }

  boolean isPersistent() {
    return persistent;
  }

  boolean isEnded() {
    return ended;
  }

  /** Waiting (not in-flight) messages, as counted by publishers. */
  int waitingCount() {
    return waitingCount.get();
  }

  /** For tests: the outbound flow. Only on the executor. */
  OutboundFlow outbound() {
    return outbound;
  }
}
