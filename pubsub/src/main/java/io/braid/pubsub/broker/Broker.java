package io.braid.pubsub.broker;

import io.braid.pubsub.history.HistoryRule;
import io.braid.pubsub.history.TopicHistories;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.BrokerClock;
import io.braid.pubsub.presence.Presence;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.InMemoryStore;
import io.braid.pubsub.store.SessionState;
import io.braid.pubsub.store.StoreSnapshot;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The pub/sub broker core (MQTT 5 semantics, no sockets, no wire format): sessions, routing through a
 * {@link MessageRouter}, QoS 0/1/2 delivery, retained messages, message and session expiry, wills, and durable
 * state in a {@link BrokerStore}, recovered when the broker is built.
 *
 * <p>A connection calls {@link #connect} and then drives its session through the returned {@link SessionHandle}.
 * Publishing routes on the publisher's thread without any global lock: the subscription index and retained
 * messages are read lock-free, and each receiving session takes the message through its own serial executor.
 */
public final class Broker implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Broker.class.getName());

  private final BrokerOptions options;
  private final BrokerStore store;
  private final MessageRouter router;
  private final BrokerScheduler scheduler;
  private final BrokerClock clock;
  private final Executor offlineExecutor;
  private final ForkJoinPool ownOfflinePool;
  private final ScheduledExecutorService ownScheduler;
  private final BrokerStats stats = new BrokerStats();
  private final DurableRetained retained;
  private final TopicHistories histories;
  private final Presence presence;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong messageIds = new AtomicLong();
  private final SessionTransfer transfer;
  private volatile boolean closed;

  private Broker(Builder builder) {
    this.options = builder.options;
    this.store = builder.store;
    this.router = builder.router;
    this.clock = builder.clock;
    this.ownOfflinePool = builder.offlineExecutor == null ? OfflinePool.create("braid-offline-") : null;
    this.offlineExecutor = builder.offlineExecutor == null ? ownOfflinePool : builder.offlineExecutor;
    this.histories = new TopicHistories(builder.historyRules, builder.store, builder.clock);
    this.retained = new DurableRetained(builder.store, builder.clock);
    this.presence = new Presence(builder.presenceFilters, this::publish);
    this.transfer = new SessionTransfer(this, sessions, offlineExecutor, builder.sessionSource);
    this.ownScheduler = builder.scheduler == null ? BrokerScheduler.timerThread() : null;
    this.scheduler = builder.scheduler == null ? BrokerScheduler.of(ownScheduler) : builder.scheduler;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects a client: creates, resumes or (clean start) replaces its session, here or (with a {@link SessionSource})
   * taken over from another node, failing with {@link SessionUnavailableException} if that node cannot hand it over
   * now. The session runs on {@code linkExecutor} (the connection's) while attached; the future may complete anywhere.
   */
  public CompletableFuture<ConnectResult> connect(ConnectRequest request, ClientLink link, Executor linkExecutor) {
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(linkExecutor, "linkExecutor");
    return transfer.bringHere(request.clientId()).thenCompose(here -> attach(request, link, linkExecutor));
  }

  private CompletableFuture<ConnectResult> attach(ConnectRequest request, ClientLink link, Executor linkExecutor) {
    Session session = sessions.computeIfAbsent(request.clientId(), id -> new Session(this, id, offlineExecutor));
    CompletableFuture<ConnectResult> attached = new CompletableFuture<>();
    transfer.restored(request.clientId()) // one being adopted is attached once it is restored
        .thenRun(() -> session.executor.execute(() -> session.attach(request, link, linkExecutor, attached)));
    // null: the session ended between the lookup and the attach (expired, or moved to another node): look again
    return attached.thenCompose(result -> result != null ? CompletableFuture.completedFuture(result)
        : connect(request, link, linkExecutor));
  }

  /**
   * Ends the session of {@code clientId} now, closing its connection if any (administrative action). Completes with
   * false if there is no such session, else with true once it has ended (on the session's executor).
   */
  public CompletableFuture<Boolean> endSession(String clientId) {
    Session session = sessions.get(clientId);
    if (session == null) {
      return CompletableFuture.completedFuture(false);
    }
    CompletableFuture<Boolean> ended = new CompletableFuture<>();
    session.executor.execute(() -> {
      session.end();
      ended.complete(true);
    });
    return ended;
  }

  /**
   * Takes over a persistent session another node of a cluster held (handed over, or kept as that node's replica),
   * unless this node has a session of that client already. Completes with whether it was taken, once it is durable
   * here. Any thread.
   */
  public CompletableFuture<Boolean> adopt(SessionState state) {
    return transfer.adopt(state, this::restamp);
  }

  /**
   * Ends the session of {@code clientId} here for another node of a cluster to take over: closes its connection
   * (session taken over; an undelayed will goes now), and completes with its stored state, deleted here, or with null
   * if there is no persistent session of that client. Any thread; not on a thread of the store.
   */
  public CompletableFuture<SessionState> handOver(String clientId) {
    return transfer.handOver(clientId);
  }

  /**
   * {@link #handOver}, but its state stays in this node's store (and its replica) until the other node confirms it
   * has the session ({@link #forgetMovedAway}) or is known not to ({@link #restoreMovedAway}), so that no node's
   * death in between loses it. Any thread; not on a thread of the store.
   */
  public CompletableFuture<SessionState> moveAway(String clientId) {
    return transfer.moveAway(clientId, false);
  }

  /** The session {@link #moveAway moved away} is on the other node now: its stored state here is deleted. */
  public void forgetMovedAway(String clientId) {
    transfer.forgetMovedAway(clientId);
  }

  /** The session moved away as {@code state} never got there: back here unless one is here already; whether. */
  public boolean restoreMovedAway(SessionState state) {
    return transfer.restoreMovedAway(state);
  }

  /**
   * Publishes a message of the broker's own (statistics, announcements) as if a client had: retained handling,
   * routing and queueing apply, but nobody waits for an acknowledgement. Any thread.
   */
  public void publishFromBroker(ApplicationMessage message) {
    publish(message);
  }

  /**
   * Closes the connection of {@code clientId}'s session, if it has one, as the server would on an error: the session
   * stays (if persistent) and its will is due (administrative action). Returns false if there is no such session.
   */
  public boolean disconnect(String clientId) {
    Session session = sessions.get(clientId);
    if (session == null) {
      return false;
    }
    session.executor.execute(session::kick);
    return true;
  }

  /**
   * Takes a message that another node accepted and routed here (cluster transport): keeps it as its topic's retained
   * message if it has RETAIN, appends it to its topic's history here if the topic keeps one (at this node's next
   * offset: each node's history has the epoch and offsets of its own), and delivers it to this node's matching
   * sessions, and to the matching shared groups that {@code servedGroups} accepts. The message gets an id of this
   * node (ids name queued messages in the store) and keeps its time of acceptance, so that its expiry runs from when
   * it was first published. The future completes with the number of local deliveries once every copy this node keeps
   * is durable (at QoS 1: or was acknowledged by its subscriber, if sooner), or fails if the store fails first. Any
   * thread.
   */
  public CompletableFuture<Integer> deliverFromPeer(ApplicationMessage message, Predicate<TopicFilter> servedGroups) {
    return histories.appendAndRoute(restamp(message), local -> {
      boolean retainedKept = local.retain() && retained.keepUnlessNewerHeld(local);
      boolean stored = retainedKept || local.position() != null; // kept in its topic's history
      Fanout fanout = new Fanout(sessions, stats, null, local.qos() == 1 && !stored);
      return durable(router.routeLocally(local, servedGroups, fanout), stored, fanout);
    });
  }

  /** Whether {@code topic} keeps a history ({@link Builder#histories}): a cluster sends its messages everywhere. */
  public boolean keepsHistory(TopicName topic) {
    return histories.keeps(topic);
  }

  /**
   * Delivers a message that another node accepted to the session of {@code clientId} only, by its matching
   * subscriptions (a session that moved here while its former node still relays what it is sent). As
   * {@link #deliverFromPeer} otherwise, but retained handling: the message went to this node's retained store too.
   */
  public CompletableFuture<Integer> deliverToSession(String clientId, ApplicationMessage message) {
    Fanout fanout = new Fanout(sessions, stats, null, message.qos() == 1);
    return durable(router.routeToSession(clientId, restamp(message), fanout), false, fanout);
  }

  private CompletableFuture<Integer> durable(int deliveries, boolean keptBesides, Fanout fanout) {
    CompletableFuture<Void> copies = fanout.routed();
    return keptBesides || fanout.stored ? StoredCopies.durableOrAcknowledged(store, copies)
        .thenApply(done -> deliveries) : CompletableFuture.completedFuture(deliveries);
  }

  /** The retained messages of every topic, but {@code $SYS} ones (each node's own), for a node joining a cluster. */
  public List<ApplicationMessage> retainedMessages() {
    return retained.shareable();
  }

  /**
   * Keeps a retained message that another node held before this one joined it (cluster transport), unless this node
   * holds a newer one for its topic (by time of acceptance): delivers nothing. Any thread.
   */
  public void keepRetainedFromPeer(ApplicationMessage message) {
    if (!message.retain() || message.clearsRetained()) {
      return;
    }
    retained.keepUnlessNewerHeld(restamp(message));
  }

  public BrokerStats stats() {
    return stats;
  }

  /** The number of sessions, connected or not. */
  public int sessionCount() {
    return sessions.size();
  }

  /** Whether a session with this client identifier exists. */
  public boolean hasSession(String clientId) {
    return sessions.containsKey(clientId);
  }

  /** Whether the session with this client identifier has a connection. */
  public boolean isConnected(String clientId) {
    Session session = sessions.get(clientId);
    return session != null && session.isOnline();
  }

  /** The number of topics with a retained message. */
  public int retainedCount() {
    return retained.size();
  }

  /** The number of subscriptions of all sessions (a shared group's members each count). */
  public int subscriptionCount() {
    return router.subscriptionCount();
  }

  /** Messages waiting in all sessions' queues (not counting those in flight). O(sessions): not per message. */
  public long queuedMessageCount() {
    long total = 0;
    for (Session session : sessions.values()) {
      total += session.waitingCount();
    }
    return total;
  }

  /** A snapshot of every session, ordered by client identifier. O(sessions + subscriptions). */
  public List<SessionInfo> sessions() {
    List<SessionInfo> infos = new ArrayList<>(sessions.size());
    for (Session session : sessions.values()) {
      infos.add(new SessionInfo(session.clientId, session.isOnline(), session.isPersistent(), session.waitingCount(),
          router.subscriptions(session.clientId).size()));
    }
    infos.sort(java.util.Comparator.comparing(SessionInfo::clientId));
    return infos;
  }

  /** Stops the timers and closes the store, making every recorded change durable. Blocking. */
  @Override
  public void close() {
    closed = true;
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
    histories.closeCleanly();
    store.close();
    OfflinePool.shutdown(ownOfflinePool);
  }

  // ---------------------------------------------------------------- publish

  /**
   * Accepts {@code message} (assigning its id and time), updates the retained message of its topic if it has
   * RETAIN, and routes it. If {@link PublishOutcome#stored()}, the caller acknowledges only once the store synced or
   * (when {@link PublishOutcome#copies()} is not null) every stored copy was acknowledged.
   */
  PublishOutcome publish(ApplicationMessage message) {
    return publish(message, null);
  }

  /**
   * Publishes {@code message}; its QoS 2 deliveries wait for {@code hold} (null: none do), so that none reaches a
   * subscriber before what makes the exchange exactly-once is durable.
   */
  PublishOutcome publish(ApplicationMessage message, CompletableFuture<Void> hold) {
    return histories.appendAndRoute(message.accepted(messageIds.incrementAndGet(), clock.nowMillis()),
        accepted -> route(accepted, hold));
  }

  /** Keeps {@code accepted} if retained, and routes it (for a topic with history, under its log's lock). */
  private PublishOutcome route(ApplicationMessage accepted, CompletableFuture<Void> hold) {
    stats.onPublished(accepted.qos());
    boolean stored = accepted.position() != null; // kept in its topic's history
    if (accepted.retain()) {
      retained.keep(accepted);
      stored = true;
    }
    Fanout fanout = new Fanout(sessions, stats, hold, accepted.qos() == 1 && !stored);
    int deliveries = router.route(accepted, fanout);
    return new PublishOutcome(deliveries, stored || fanout.stored, fanout.elsewhere(), fanout.routed());
  }

  /** {@code message}, accepted by another node, with an id of this node: it keeps its time of acceptance. */
  ApplicationMessage restamp(ApplicationMessage message) {
    return message.accepted(messageIds.incrementAndGet(), message.createdAtMillis());
  }

  /** {@code message} as the broker accepts it: a message id and the time of acceptance, not routed. */
  ApplicationMessage stamp(ApplicationMessage message) {
    return message.accepted(messageIds.incrementAndGet(), clock.nowMillis());
  }

  /** The unexpired retained messages matching {@code filter}; expired ones are removed on the way. */
  List<ApplicationMessage> retainedMatching(TopicFilter filter) {
    return retained.matching(filter);
  }

  // ---------------------------------------------------------------- recovery

  private Broker recover() {
    StoreSnapshot snapshot = store.load();
    messageIds.set(snapshot.maxMessageId());
    histories.restore(snapshot.histories());
    long now = clock.nowMillis();
    for (ApplicationMessage message : snapshot.retained()) {
      retained.restore(message, now);
    }
    for (SessionState state : SessionState.of(snapshot)) {
      transfer.install(state);
    }
    for (String clientId : snapshot.queues().keySet()) {
      if (!sessions.containsKey(clientId)) {
        store.deleteSession(clientId); // queued for a session that ended before its record was written
      }
    }
    LOG.log(System.Logger.Level.INFO, "recovered {0} sessions, {1} retained messages",
        snapshot.sessions().size(), retained.size());
    return this;
  }

  // ---------------------------------------------------------------- for sessions

  void sessionEnded(Session session) {
    sessions.remove(session.clientId, session);
  }

  void storeFailed(String clientId, Throwable failure) {
    stats.onStoreFailure();
    LOG.log(System.Logger.Level.ERROR, "cannot make a publish of client " + clientId + " durable; refusing to "
        + "acknowledge it: " + failure.getMessage());
  }

  BrokerOptions options() {
    return options;
  }

  BrokerStore store() {
    return store;
  }

  MessageRouter router() {
    return router;
  }

  TopicHistories histories() {
    return histories;
  }

  /** Who is present in which topic. */
  public Presence presence() {
    return presence;
  }

  /** The scheduler, whose tasks do nothing once the broker is closed (a timer must not outlive its broker). */
  BrokerScheduler scheduler() {
    return (delayMillis, task) -> scheduler.schedule(delayMillis, () -> {
      if (!closed) {
        task.run();
      }
    });
  }

  BrokerClock clock() {
    return clock;
  }

  Executor offlineExecutor() {
    return offlineExecutor;
  }

  /** Builds a {@link Broker}, recovering the state held in its store. */
  public static final class Builder {
    private BrokerOptions options = BrokerOptions.DEFAULTS;
    private BrokerStore store;
    private MessageRouter router;
    private BrokerScheduler scheduler;
    private BrokerClock clock = BrokerClock.SYSTEM;
    private Executor offlineExecutor;
    private SessionSource sessionSource;
    private List<HistoryRule> historyRules = List.of();
    private List<TopicFilter> presenceFilters = List.of();

    private Builder() {
    }

    public Builder options(BrokerOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The store; an {@link InMemoryStore} if not set. */
    public Builder store(BrokerStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The router; a {@link LocalRouter} if not set. */
    public Builder router(MessageRouter router) {
      this.router = Objects.requireNonNull(router, "router");
      return this;
    }

    /** The timers for expiry and will delay; a daemon thread of the broker's own if not set. */
    public Builder scheduler(BrokerScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public Builder clock(BrokerClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where sessions without a connection run their work; the common fork-join pool if not set. */
    /** Where the sessions of clients that connect here may be held instead (another node); none by default. */
    public Builder sessionSource(SessionSource sessionSource) {
      this.sessionSource = sessionSource;
      return this;
    }

    /** Where sessions without a connection run; by default a pool of the broker's own, shut down with it. */
    public Builder offlineExecutor(Executor offlineExecutor) {
      this.offlineExecutor = Objects.requireNonNull(offlineExecutor, "offlineExecutor");
      return this;
    }

    /** Which topics keep a history (the first matching rule applies); none if not set. */
    public Builder histories(List<HistoryRule> rules) {
      this.historyRules = List.copyOf(rules);
      return this;
    }

    /** Which topics' members are told to {@code $presence/} subscribers; none if not set. */
    public Builder presence(List<TopicFilter> filters) {
      this.presenceFilters = List.copyOf(filters);
      return this;
    }

    /** Builds the broker and recovers the store's state (blocking: call at start-up). */
    public Broker build() {
      if (store == null) {
        store = new InMemoryStore();
      }
      if (router == null) {
        router = new LocalRouter();
      }
      return new Broker(this).recover();
    }
  }
}
