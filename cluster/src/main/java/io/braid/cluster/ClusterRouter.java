package io.braid.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.LocalRouter;
import io.braid.pubsub.broker.MessageRouter;
import io.braid.pubsub.broker.SessionSource;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.presence.Presence;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.subscription.Subscription;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageRouter} of a clustered node: this node's subscriptions in a {@link LocalRouter}, the other nodes'
 * filters in a {@link RouteTable}, and publishes forwarded (over direct batched links between nodes, or the Vert.x
 * clustered event bus) to the nodes whose filters match, never broadcast. A retained message goes to every node, so
 * that each can serve it to later subscribers; a shared group with members on several nodes is served by one of them
 * per message. A message to a topic with history goes to every node too, and each appends it to its own history
 * of the topic (its epoch and offsets are the node's own). {@code $SYS} and {@code $presence} topics stay on their
 * node (each node publishes its own; presence from the members of all nodes, {@link ClusterPresence}).
 *
 * <pre>{@code
 * ClusterRouter router = new ClusterRouter(clusteredVertx, clusterManager.getHazelcastInstance(), options);
 * Broker broker = Broker.builder().router(router).store(store).build();
 * router.attach(broker).await();   // receives forwarded messages, announces this node's filters
 * }</pre>
 *
 * <p>A subscription reaches the other nodes' tables asynchronously, within milliseconds: a publish on another node
 * in that time does not see it. Forwarding is at most once across nodes: a message in flight to a node that dies is
 * lost for that node's sessions.
 *
 * <p><b>Threading:</b> as {@link MessageRouter}: any thread, {@link #route} lock-free and non-blocking (a send only
 * queues). Forwarded messages are delivered on one event loop of this node per sending node, in the order that node
 * sent them, so a publisher's order per topic holds for every subscriber.
 */
public final class ClusterRouter implements MessageRouter, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterRouter.class);

  private final LocalRouter local = new LocalRouter();
  private final LocalFilters filters = new LocalFilters();
  private final RouteTable table = new RouteTable();
  private final ClusterStats stats = new ClusterStats();
  private final PeerTransport transport;
  private final RouteSync sync;
  private final SessionFailover failover;
  private final InheritedRoutes inherited = new InheritedRoutes();
  private final SessionMoves moves;
  private final ClusterPresence presence;
  private final Vertx vertx;
  private volatile Broker broker;

  /**
   * A router for this node of the cluster that {@code vertx} and {@code hazelcast} have joined with
   * {@code options}. The node is named by its Hazelcast member's UUID, which is how membership events name it.
   */
  public ClusterRouter(Vertx vertx, HazelcastInstance hazelcast, ClusterOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    // read anew each time: Hazelcast gives a member a new UUID when it merges a healed partition's side
    Supplier<String> self = () -> hazelcast.getCluster().getLocalMember().getUuid().toString();
    this.transport = options.transport().equals("eventbus") ? new EventBusTransport(vertx, self.get())
        : new NodeLinks(vertx, hazelcast, self, options.host(), stats);
    this.sync = new RouteSync(hazelcast, self, table, filters, stats, this::welcome, this::nodeLeft);
    this.moves = new SessionMoves(vertx, transport, inherited, this::release);
    this.failover = new SessionFailover(vertx, hazelcast, self, transport, moves,
        options.sessionMoveWaitMillis());
    this.presence = new ClusterPresence(vertx, hazelcast, transport);
  }

  /**
   * {@code local}, this node's store, with every change to a persistent session also kept by another node, so that
   * the session survives the loss of this one. The broker must be built on it, with {@link #sessionSource()}.
   */
  public BrokerStore replicating(BrokerStore local) {
    return failover.replicating(local);
  }

  /** Where the sessions of clients connecting here are, when on another node: build the broker with it. */
  public SessionSource sessionSource() {
    return failover;
  }

  /**
   * Starts receiving the messages other nodes forward to {@code broker} and announces this node's filters (those
   * recovered with the broker's sessions first). Blocking for the Hazelcast calls: call at start-up, not on an event
   * loop. The future completes once the other nodes can reach this one and this one knows their routes.
   */
  public Future<Void> attach(Broker broker) {
    this.broker = Objects.requireNonNull(broker, "broker");
    moves.deliverWith(broker::deliverToSession);
    presence.attach(broker.presence());
    Future<Void> receiving = transport.start(this::receive);
    CompletableFuture<Void> routesLoaded = sync.start();
    failover.start(broker);
    return receiving.compose(listening -> Future.fromCompletionStage(routesLoaded));
  }

  public ClusterStats stats() {
    return stats;
  }

  /** This node's id in the cluster: its Hazelcast member's UUID (which changes when a healed partition merges). */
  public String nodeId() {
    return sync.self();
  }

  /** The other nodes of the cluster, oldest first. */
  public List<String> peers() {
    return sync.peers();
  }

  /** The persistent sessions of other nodes whose replica this node keeps. */
  public int replicaSessionCount() {
    return failover.replicaSessionCount();
  }

  /** The other nodes' routes this node knows of. Takes the route table's writer lock: not for the publish path. */
  public int remoteRouteCount() {
    return table.size();
  }

  @Override
  public boolean subscribe(Subscription subscription) {
    boolean added = local.subscribe(subscription);
    if (added && filters.increment(subscription.filter())) {
      sync.changed(subscription.filter());
    }
    return added;
  }

  @Override
  public boolean unsubscribe(String clientId, TopicFilter filter) {
    boolean removed = local.unsubscribe(clientId, filter);
    if (removed && filters.decrement(filter)) {
      sync.changed(filter);
    }
    return removed;
  }

  @Override
  public void removeSession(String clientId) {
    List<TopicFilter> removed = local.subscriptions(clientId).stream().map(Subscription::filter).toList();
    // a session handed over keeps its routes here a while, relayed to its new node (before it leaves: no gap)
    boolean relayed = moves.relayFrom(clientId, removed); // a session's calls are serial: none races
    local.removeSession(clientId);
    if (!relayed) {
      release(removed);
    }
  }

  /** Filters of this node's that lost a subscriber: withdrawn if none is left. */
  private void release(List<TopicFilter> removed) {
    for (TopicFilter filter : removed) {
      if (filters.decrement(filter)) {
        sync.changed(filter);
      }
    }
  }

  @Override
  public int routeToSession(String clientId, ApplicationMessage message, LocalDelivery delivery) {
    return local.routeToSession(clientId, message, delivery); // past the gate of a session moving here
  }

  @Override
  public List<Subscription> subscriptions(String clientId) {
    return local.subscriptions(clientId);
  }

  @Override
  public int subscriptionCount() {
    return local.subscriptionCount();
  }

  @Override
  public int route(ApplicationMessage message, LocalDelivery delivery) {
    if (isNodeLocal(message.topic())) {
      return local.route(message, delivery);
    }
    ForwardPlan plan = table.plan(message.topic(), toEveryPeer(message) ? sync.peers() : List.of(), filters::contains,
        message.id());
    Map<String, Set<String>> heirs = inherited.isEmpty() ? Map.of() : inherited.heirsFor(message.topic(), message.id());
    Set<String> inheritedHere = heirs.isEmpty() ? null : heirs.get(InheritedRoutes.HERE);
    int delivered;
    if (inheritedHere == null) {
      LocalDelivery here = moves.gated(delivery);
      delivered = plan.groupsElsewhere().isEmpty() ? local.route(message, here)
          : local.routeLocally(message, plan::servesHere, here);
    } else {
      // subscribers of a node that left, whose sessions this node is taking over: deliver once they are here
      delivered = 0;
      delivery.awaitElsewhere(failover.afterTakeOver(inheritedHere,
          () -> broker.deliverFromPeer(message, plan::servesHere).thenAccept(deliveries -> { })));
    }
    if (!inherited.isEmpty()) {
      // again after the local routing: a session that left meanwhile (its routes inherited just before it left the
      // router) may have missed this message here; a copy both queued and relayed is delivered once by its gate
      heirs = inherited.heirsFor(message.topic(), message.id());
    }
    boolean heirsElsewhere = heirs.size() > (heirs.containsKey(InheritedRoutes.HERE) ? 1 : 0);
    if (!plan.remote().isEmpty() || heirsElsewhere) {
      forward(message, plan.remote(), heirsElsewhere ? heirs : Map.of(), delivery);
    }
    return delivered + plan.matchingNodes();
  }

  /**
   * Whether {@code message} goes to every node, subscribers there or not: a retained message, so that each node serves
   * it to later subscribers; one to a topic with history (it has its position here, given before it is routed), so
   * that each node's history of it is whole.
   */
  private static boolean toEveryPeer(ApplicationMessage message) {
    return message.retain() || message.position() != null;
  }

  /**
   * {@code node} left: its routes are inherited for a while by the node that keeps its replica (the next node after
   * it in id order, as {@link ReplicatingStore#pick} chose), and the link to it is forgotten.
   */
  private void nodeLeft(String node) {
    transport.nodeLeft(node);
    inherited.heirLeft(node);
    moves.nodeLeft(node);
    List<String> remaining = new ArrayList<>(sync.peers());
    remaining.remove(node);
    remaining.add(sync.self());
    String heir = ReplicatingStore.pick(remaining, node);
    Set<TopicFilter> routes = table.filtersOf(node);
    if (heir != null && !routes.isEmpty()) {
      inherited.inherit(node, heir.equals(sync.self()) ? InheritedRoutes.HERE : heir, routes);
      vertx.setTimer(InheritedRoutes.GRACE_MILLIS, timer -> inherited.expire(node));
      log.info("node {} inherits the {} routes of node {}, which left, while it takes its sessions over", heir,
          routes.size(), node);
    }
  }

  @Override
  public int routeLocally(ApplicationMessage message, Predicate<TopicFilter> servedGroups,
      LocalDelivery delivery) {
    return local.routeLocally(message, servedGroups, moves.gated(delivery));
  }

  /**
   * {@code $SYS} statistics describe the node that publishes them; presence events are published by every node for
   * its own subscribers, from the members of all nodes that it keeps ({@link ClusterPresence}).
   */
  private static boolean isNodeLocal(TopicName topic) {
    return topic.isDollarTopic() && (topic.asString().startsWith("$SYS/")
        || topic.asString().startsWith(Presence.PREFIX));
  }

  /**
   * Sends {@code message} to {@code nodes}, and to the {@code heirs} of nodes that left, merged into one copy per
   * node, but to none to this node ({@link InheritedRoutes#HERE}). A QoS 1/2 copy is acknowledged by the node once it
   * has it (durable if it queued it for a persistent session, or at QoS 1 acknowledged by that session's client), and
   * the publisher's acknowledgement waits for that; a
   * QoS 2 one of a persistent session goes only once its packet identifier is durable here (the hold), so that a
   * retransmission after a crash cannot reach another node's subscribers a second time.
   */
  private void forward(ApplicationMessage message, Map<String, List<TopicFilter>> nodes,
      Map<String, Set<String>> heirs, LocalDelivery delivery) {
    byte[] bytes = PeerMessage.messageBytes(message);
    CompletableFuture<Void> hold = delivery.hold();
    nodes.forEach((node, groups) -> sendCopy(message, node, PeerMessage.encode(bytes, groups,
        heirs.getOrDefault(node, Set.of())), hold, delivery));
    heirs.forEach((heir, departed) -> {
      if (!heir.equals(InheritedRoutes.HERE) && !nodes.containsKey(heir)) {
        boolean sessionsOnly = departed.stream().allMatch(owner -> SessionMoves.clientOf(owner) != null);
        sendCopy(message, heir, sessionsOnly ? PeerMessage.encodeRelay(bytes, departed)
            : PeerMessage.encode(bytes, List.of(), departed), hold, delivery);
      }
    });
  }

  private void sendCopy(ApplicationMessage message, String node, Buffer frame, CompletableFuture<Void> hold,
      LocalDelivery delivery) {
    stats.onForwarded();
    if (message.qos() == 0) {
      transport.send(node, frame);
    } else if (hold == null) {
      delivery.awaitElsewhere(transport.sendAcknowledged(node, frame));
    } else {
      delivery.awaitElsewhere(hold.thenCompose(durable -> transport.sendAcknowledged(node, frame)));
    }
  }

  /**
   * Sends a node that joined the retained messages it may have missed (it keeps those newer than its own), a window
   * at a time ({@link RetainedWelcome}); the link holds them until the node listens. Retained messages cleared while
   * it was away are not sent: it may still hold one.
   */
  private void welcome(String node) {
    Broker current = broker;
    if (current == null) {
      return;
    }
    // off the Hazelcast event thread that told of the node: collecting every retained message takes a while
    ForkJoinPool.commonPool().execute(() -> {
      List<ApplicationMessage> retained = current.retainedMessages();
      new RetainedWelcome(transport, node, retained).start(RetainedWelcome.WINDOW).whenComplete((sent, failure) -> {
        if (failure == null) {
          log.info("sent {} retained messages to node {}, which joined", sent, node);
        } else {
          log.warn("stopped sending node {}, which joined, its {} retained messages: {}", node, retained.size(),
              failure.getMessage());
        }
      });
    });
  }

  private CompletableFuture<Void> receive(Buffer forwarded) {
    PeerMessage peerMessage;
    try {
      if (ReplicaFrame.isReplica(forwarded)) {
        return failover.receive(forwarded);
      }
      if (PresenceFrame.isPresence(forwarded)) {
        return presence.receive(forwarded);
      }
      if (SessionMoves.isRelayEnd(forwarded)) {
        moves.relayEnded(forwarded);
        return CompletableFuture.completedFuture(null);
      }
      peerMessage = PeerMessage.decode(forwarded);
    } catch (IllegalArgumentException e) {
      stats.onMalformed();
      log.warn("dropped a message from another node that cannot be decoded ({} bytes): {}", forwarded.length(),
          e.getMessage());
      return CompletableFuture.failedFuture(e);
    }
    if (peerMessage.retainedOnly()) {
      broker.keepRetainedFromPeer(peerMessage.message());
      return CompletableFuture.completedFuture(null);
    }
    ApplicationMessage message = peerMessage.message();
    Set<String> departed = new HashSet<>();
    List<CompletableFuture<Void>> done = new ArrayList<>(2);
    for (String owner : peerMessage.onBehalfOf()) {
      String movedHere = SessionMoves.clientOf(owner);
      if (movedHere == null) {
        departed.add(owner);
      } else {
        done.add(moves.relayed(movedHere, message));
      }
    }
    if (!peerMessage.relayOnly() || !departed.isEmpty()) {
      Set<TopicFilter> groups = Set.copyOf(peerMessage.groups());
      done.add(failover.afterTakeOver(departed, () -> broker.deliverFromPeer(message, groups::contains)
          .thenAccept(delivered -> stats.onReceived(delivered > 0 || message.retain()
              || broker.keepsHistory(message.topic())))));
    }
    if (!peerMessage.relayOnly() && !inherited.isEmpty()) {
      relayToMovedSessions(message, done);
    }
    return done.size() == 1 ? done.get(0) : CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
  }

  /**
   * Relays a message another node sent here to the nodes where sessions that were here moved, if their routes, still
   * kept here, match it: that node may not know their new routes yet. Adds what the relay completes with to
   * {@code done} (the sender's acknowledgement waits for it).
   */
  private void relayToMovedSessions(ApplicationMessage message, List<CompletableFuture<Void>> done) {
    Map<String, Set<String>> heirs = inherited.heirsFor(message.topic(), message.id());
    heirs.forEach((node, owners) -> {
      Set<String> sessions = new HashSet<>(owners);
      // not for a node that left, nor a copy of a message the session got here before it moved on (one that trailed
      // the end of the relay that brought the session here, and would reach it twice)
      sessions.removeIf(owner -> {
        String clientId = SessionMoves.clientOf(owner);
        return clientId == null || moves.deliveredHere(clientId, message);
      });
      if (sessions.isEmpty()) {
        return;
      }
      stats.onForwarded();
      Buffer relay = PeerMessage.encodeRelay(PeerMessage.messageBytes(message), sessions);
      if (message.qos() == 0) {
        transport.send(node, relay);
      } else {
        done.add(transport.sendAcknowledged(node, relay));
      }
    });
  }

  /** Stops receiving and announcing. The routes of this node leave the cluster with its Hazelcast member. */
  @Override
  public void close() {
    presence.close();
    failover.close();
    sync.close();
    transport.close();
  }
}
