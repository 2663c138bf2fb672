package io.braid.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.braid.pubsub.topic.TopicFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the route table in step with the cluster through a Hazelcast map of {@link NodeRoute} keys: announces and
 * withdraws this node's filters, mirrors the other nodes' into the {@link RouteTable}, and drops the routes of a
 * node that left.
 *
 * <p><b>Threading:</b> every map operation runs on one thread of its own, in the order of the changes, so that no
 * event loop waits for Hazelcast; {@link #changed} may be called from any thread. Map events arrive on Hazelcast's
 * event threads (in order per key) and go straight to the route table.
 */
final class RouteSync implements AutoCloseable {

  static final String MAP = "braid.routes";
  /** How often parked routes are looked at; one parked across two looks, of a node still no member, is stale. */
  static final long PARKED_SWEEP_MILLIS = 10_000;
  private static final Logger log = LoggerFactory.getLogger(RouteSync.class);

  private final HazelcastInstance hazelcast;
  private final Supplier<String> self;
  private final RouteTable table;
  private final LocalFilters local;
  private final ClusterStats stats;
  private final Consumer<String> nodeLeft;
  private final Consumer<String> nodeJoined;
  private final IMap<String, Long> routes;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "braid-cluster-routes");
    thread.setDaemon(true);
    return thread;
  });
  /** Filters whose announcement is due; a filter changed again before its turn is applied once. */
  private final Set<TopicFilter> pending = ConcurrentHashMap.newKeySet();
  /** Numbers this node's announcements: the value of its keys. On the worker thread. */
  private final AtomicLong announcements = new AtomicLong();
  private volatile List<String> peers = List.of();
  /**
   * Routes of nodes that are not members (yet): one whose map event came before its membership, or one that a merge
   * after a partition brought back under an identity its node no longer has. Never routed to. Under its monitor with
   * {@link #peers}' updates.
   */
  private final Map<NodeRoute, Boolean> parked = new HashMap<>();
  /** The parked routes at the last sweep. Under {@link #parked}'s monitor. */
  private Set<NodeRoute> parkedAtLastSweep = Set.of();
  private final long parkedSweepMillis;
  private UUID listener;
  private volatile boolean closed;
  /** Map events that arrived before the first snapshot was applied; null once it was. Under its monitor. */
  private List<Runnable> early = new ArrayList<>();
  private final Object earlyLock = new Object();
  private final CompletableFuture<Void> loaded = new CompletableFuture<>();

  /**
   * @param self this node's identity now (its member's UUID)
   * @param nodeJoined told of each node that joined, if this node is the oldest of the others (so that one node
   *     welcomes it), on a Hazelcast event thread: must not block
   * @param nodeLeft told of each node that left, on a Hazelcast event thread: must not block
   */
  RouteSync(HazelcastInstance hazelcast, Supplier<String> self, RouteTable table, LocalFilters local,
      ClusterStats stats, Consumer<String> nodeJoined, Consumer<String> nodeLeft) {
    this(hazelcast, self, table, local, stats, nodeJoined, nodeLeft, PARKED_SWEEP_MILLIS);
  }

  RouteSync(HazelcastInstance hazelcast, Supplier<String> self, RouteTable table, LocalFilters local,
      ClusterStats stats, Consumer<String> nodeJoined, Consumer<String> nodeLeft, long parkedSweepMillis) {
    this.parkedSweepMillis = parkedSweepMillis;
    this.self = self;
    this.nodeJoined = nodeJoined;
    this.nodeLeft = nodeLeft;
    this.hazelcast = hazelcast;
    this.table = table;
    this.local = local;
    this.stats = stats;
    this.routes = hazelcast.getMap(MAP);
  }

  /**
   * Starts listening and announces the filters this node already has (recovered sessions). The future completes
   * once the other nodes' routes are loaded (the map's contents when it started, with what changed since).
   */
  CompletableFuture<Void> start() {
    hazelcast.getCluster().addMembershipListener(new Membership());
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED && !closed) {
        submit(this::rejoin);
      }
    });
    updatePeers();
    submit(this::resync);
    for (TopicFilter filter : local.filters()) {
      changed(filter);
    }
    worker.scheduleWithFixedDelay(this::sweepParked, parkedSweepMillis, parkedSweepMillis, TimeUnit.MILLISECONDS);
    return loaded;
  }

  /** This node's identity now: its member's UUID, which Hazelcast changes when it merges a partition's side. */
  String self() {
    return self.get();
  }

  /**
   * After a partition healed, Hazelcast merged this node's side into the other and gave it a new identity: the
   * routes it knew name nodes by identities that are gone, and its own keys name the old one. Starts over: the map's
   * routes again, this node's filters under its new identity, and the keys of nodes that are no members dropped.
   */
  private void rejoin() {
    log.info("this node rejoined the cluster as {} after a partition", self());
    table.clear();
    synchronized (parked) {
      parked.clear();
    }
    updatePeers();
    resync();
    for (TopicFilter filter : local.filters()) {
      announce(filter);
    }
    dropStaleRoutes(true);
  }

  /** (Re)registers the map listener and loads the map's routes, applying what changes meanwhile after them. */
  private void resync() {
    synchronized (earlyLock) {
      early = new ArrayList<>();
    }
    if (listener != null) {
      try {
        routes.removeEntryListener(listener);
      } catch (RuntimeException e) {
        log.debug("the route listener was gone: {}", e.toString());
      }
    }
    listener = routes.addEntryListener(new Events(), false);
    loadSnapshot();
  }

  /** Routes held back because their node is no member. */
  int parkedRoutes() {
    synchronized (parked) {
      return parked.size();
    }
  }

  /** The other members' node ids, oldest first. */
  List<String> peers() {
    return peers;
  }

  /** The local subscriptions of {@code filter} changed: announces or withdraws it, as {@link LocalFilters} now says. */
  void changed(TopicFilter filter) {
    if (closed) {
      return; // stopping: the node's routes leave with it
    }
    if (pending.add(filter)) {
      submit(() -> {
        pending.remove(filter);
        announce(filter);
      });
    }
  }

  private void announce(TopicFilter filter) {
    String key = new NodeRoute(self(), filter).key();
    try {
      if (local.contains(filter)) {
        // a new value each time: setting an equal one again may not tell the other nodes, and a re-announcement must
        routes.set(key, announcements.incrementAndGet());
      } else {
        routes.delete(key);
      }
      stats.onRouteChange();
    } catch (RuntimeException e) {
      log.warn("cannot announce the route of {} to the cluster, trying again in 1 s: {}", filter, e.toString());
      retryLater(() -> changed(filter));
    }
  }

  /** Runs {@code task} on the worker, unless it has stopped (the node is stopping). */
  private void submit(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("not run, the node is stopping: {}", task);
    }
  }

  /** Runs {@code task} on the worker in a second (the worker waits: nothing else of it can succeed meanwhile). */
  private void retryLater(Runnable task) {
    if (closed) {
      return;
    }
    submit(() -> {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      task.run();
    });
  }

  private void loadSnapshot() {
    List<NodeRoute> snapshot = new ArrayList<>();
    try {
      for (String key : routes.keySet()) {
        NodeRoute route = NodeRoute.ofKey(key);
        if (route != null) {
          snapshot.add(route);
        }
      }
    } catch (RuntimeException e) { // the cluster is in trouble (a partition): the events keep buffering, try again
      log.warn("cannot load the cluster's routes, trying again in 1 s: {}", e.toString());
      retryLater(this::loadSnapshot);
      return;
    }
    List<Runnable> buffered;
    synchronized (earlyLock) {
      snapshot.forEach(this::mirrorAdded);
      buffered = early;
      early = null;
      // events that came during the snapshot are applied after it, in their order: the end state is the map's
      buffered.forEach(Runnable::run);
    }
    dropStaleRoutes(false);
    log.info("cluster routes loaded: {} of other nodes", table.size());
    loaded.complete(null);
  }

  private void onEvent(Runnable apply) {
    synchronized (earlyLock) {
      if (early != null) {
        early.add(apply);
        return;
      }
    }
    apply.run();
  }

  /**
   * Mirrors another node's route. A route of a node that has just left may still arrive; the oldest member's clean-up
   * deletes it from the map, and its removal event drops it here.
   */
  private void mirrorAdded(NodeRoute route) {
    if (route.node().equals(self())) {
      return;
    }
    synchronized (parked) {
      if (peers.contains(route.node())) {
        table.add(route);
      } else {
        parked.put(route, Boolean.TRUE);
      }
    }
  }

  private void mirrorRemoved(NodeRoute route) {
    table.remove(route);
    synchronized (parked) {
      parked.remove(route);
    }
  }

  /**
   * Deletes from the map the routes parked at the last sweep too whose node is still no member: keys that a merge
   * brought back after this node had dropped the stale ones (Hazelcast may tell of the merge before the merged keys
   * arrive), which would otherwise stay in the map, and parked on every node, for good. A route parked only because
   * its map event came before its node's membership has left the parked ones long before. On the worker.
   */
  private void sweepParked() {
    List<NodeRoute> stale;
    synchronized (parked) {
      List<String> members = peers;
      stale = parked.keySet().stream()
          .filter(route -> parkedAtLastSweep.contains(route) && !members.contains(route.node())).toList();
      stale.forEach(parked::remove);
      parkedAtLastSweep = Set.copyOf(parked.keySet());
    }
    try {
      for (NodeRoute route : stale) {
        routes.delete(route.key()); // the other nodes drop it at its removal event
      }
    } catch (RuntimeException e) {
      log.warn("cannot drop the routes of nodes that are no members: {}", e.toString());
      return;
    }
    if (!stale.isEmpty()) {
      log.info("dropped {} routes of nodes that are no members (left over from a merge)", stale.size());
    }
  }

  /** Reads the members again, and routes by the parked routes of those that are members now. */
  private void updatePeers() {
    String self = self();
    synchronized (parked) {
      peers = hazelcast.getCluster().getMembers().stream().map(member -> member.getUuid().toString())
          .filter(node -> !node.equals(self)).toList();
      parked.keySet().removeIf(route -> {
        if (peers.contains(route.node())) {
          table.add(route);
          return true;
        }
        return false;
      });
    }
  }

  /**
   * The oldest member ({@code always}: this one) deletes the routes of nodes that are no longer members (one that
   * died announces nothing).
   */
  private void dropStaleRoutes(boolean always) {
    try {
      Set<Member> members = hazelcast.getCluster().getMembers();
      if (!always && !members.iterator().next().localMember()) {
        return;
      }
      Set<String> alive = members.stream().map(member -> member.getUuid().toString()).collect(Collectors.toSet());
      int dropped = 0;
      for (String key : routes.keySet()) {
        NodeRoute route = NodeRoute.ofKey(key);
        if (route == null || !alive.contains(route.node())) {
          routes.delete(key);
          dropped++;
        }
      }
      if (dropped > 0) {
        log.info("dropped {} routes of nodes that left the cluster", dropped);
      }
    } catch (RuntimeException e) {
      log.warn("cannot drop the routes of nodes that left: {}", e.toString());
    }
  }

  /**
   * Stops announcing. This node's routes stay until it leaves the cluster, as when it dies: the others then hand them
   * to the node that takes its persistent sessions over ({@link InheritedRoutes}). Withdrawing them first would leave
   * a gap, from the withdrawal to that take-over, in which a publish for those sessions finds no route. Blocking.
   */
  @Override
  public void close() {
    closed = true;
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The map's events. An update or a merge counts as an addition: a node announces its filters again after a member
   * joins (a partition that healed), and a key that survived on one side arrives as an update where it was dropped.
   */
  private final class Events implements EntryAddedListener<String, Long>, EntryUpdatedListener<String, Long>,
      EntryMergedListener<String, Long>, EntryRemovedListener<String, Long>,
      EntryEvictedListener<String, Long> {

    @Override
    public void entryAdded(EntryEvent<String, Long> event) {
      mirror(event, RouteSync.this::mirrorAdded);
    }

    @Override
    public void entryUpdated(EntryEvent<String, Long> event) {
      mirror(event, RouteSync.this::mirrorAdded);
    }

    @Override
    public void entryMerged(EntryEvent<String, Long> event) {
      mirror(event, RouteSync.this::mirrorAdded);
    }

    @Override
    public void entryRemoved(EntryEvent<String, Long> event) {
      mirror(event, RouteSync.this::mirrorRemoved);
    }

    @Override
    public void entryEvicted(EntryEvent<String, Long> event) {
      mirror(event, RouteSync.this::mirrorRemoved);
    }

    private void mirror(EntryEvent<String, Long> event, Consumer<NodeRoute> apply) {
      NodeRoute route = NodeRoute.ofKey(event.getKey());
      if (route != null) {
        onEvent(() -> apply.accept(route));
      }
    }
  }

  private final class Membership implements MembershipListener {

    @Override
    public void memberAdded(MembershipEvent event) {
      updatePeers();
      String node = event.getMember().getUuid().toString();
      log.info("node {} joined the cluster ({} nodes)", node, event.getMembers().size());
      Member oldestOther = event.getMembers().stream().filter(member -> !member.getUuid().equals(
          event.getMember().getUuid())).findFirst().orElse(null);
      if (oldestOther != null && oldestOther.localMember()) {
        nodeJoined.accept(node);
      }
      // after a partition heals, the other side had dropped this node's routes, and its oldest member may have deleted
      // them from the map: announcing every filter again restores them (a key still there is updated, which the
      // other nodes mirror as they do an addition)
      for (TopicFilter filter : local.filters()) {
        changed(filter);
      }
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      updatePeers();
      String node = event.getMember().getUuid().toString();
      nodeLeft.accept(node); // before its routes go: they may be inherited
      int dropped = table.removeNode(node);
      synchronized (parked) {
        parked.keySet().removeIf(route -> route.node().equals(node));
      }
      log.info("node {} left the cluster ({} nodes); {} of its routes dropped", node, event.getMembers().size(),
          dropped);
      if (!closed) {
        submit(() -> dropStaleRoutes(false));
      }
    }
  }
}
