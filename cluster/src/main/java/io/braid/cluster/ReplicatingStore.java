package io.braid.cluster;

import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.ForwardingBrokerStore;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionState;
import io.braid.pubsub.store.StoredSession;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's store, with every change to a persistent session also sent to the node that keeps their replica
 * ({@link ReplicaSessions} there), so that the sessions survive the loss of this node: {@link #sync()} completes
 * once the changes made before it are durable here and held by the replica. Retained messages and histories are
 * not replicated (every node keeps the retained messages; histories are each node's own).
 *
 * <p>The replica is the next member after this node in id order ({@link #pick}), which every node can work out
 * when this one leaves (its heir: {@link InheritedRoutes}); a node that joins in between becomes the replica in
 * turn. A new replica first gets a full copy: a reset, every
 * session as the store holds it, then the changes recorded meanwhile, which were held back so that they come after
 * the copy (a change applied twice leaves the same state). A change the replica could not be shown to have taken
 * (the link broke) starts a full copy again, and counts as replicated only once that copy is acknowledged. Without another member, changes stay on this node.
 *
 * <p><b>Threading:</b> as {@link BrokerStore}: any thread. Changes are queued without locks and sent, in the order
 * they were recorded, from one Vert.x context; the changes a thread records within {@link #atomically} are sent
 * together when it ends.
 */
final class ReplicatingStore extends ForwardingBrokerStore {

  private static final Logger log = LoggerFactory.getLogger(ReplicatingStore.class);
  private static final int MAX_OPS_PER_FRAME = 1024;

  /** Who owns which session, cluster-wide. */
  interface Owners {
    void claim(String clientId);

    void release(String clientId);

    void replicaChosen(String replica);
  }

  private record Pending(List<ReplicaOp> ops, CompletableFuture<Void> taken) {
  }

  private final PeerTransport transport;
  private final Supplier<String> self;
  private final Context context;
  private final Executor blocking;
  private final Owners owners;
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();
  private final Set<String> handingOver = ConcurrentHashMap.newKeySet();
  /** Sessions being adopted: claimed by their adopter only if no other node claimed them first. */
  private final Set<String> adopting = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<List<ReplicaOp>> group = new ThreadLocal<>();
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicReference<CompletableFuture<Void>> replicated =
      new AtomicReference<>(CompletableFuture.completedFuture(null));
  private volatile String replica;
  private volatile boolean claiming;
  private volatile boolean stopped;
  /** A full copy is being made: changes wait. On the context. */
  private boolean copying;
  /** Changes whose acknowledgement failed: done once a full copy that holds them is acknowledged. On the context. */
  private final List<CompletableFuture<Void>> awaitingCopy = new ArrayList<>();

  /**
   * @param context where changes are sent from (an event loop of this node)
   * @param blocking where the store is read for a full copy
   */
  ReplicatingStore(BrokerStore local, PeerTransport transport, Supplier<String> self, Context context,
      Executor blocking, Owners owners) {
    super(local);
    this.transport = transport;
    this.self = self;
    this.context = context;
    this.blocking = blocking;
    this.owners = owners;
  }

  // ---------------------------------------------------------------- the replica

  /** The node keeping the replica now, or null. */
  String replica() {
    return replica;
  }

  /** The members but this node changed: the replica moves if another node is now the next one ({@link #pick}). */
  void membersChanged(List<String> others) {
    context.runOnContext(v -> {
      String current = replica;
      String next = pick(others, self.get());
      if (Objects.equals(next, current)) {
        return;
      }
      if (next == null) {
        replica = null;
        copying = false;
        if (current != null) {
          log.warn("no other node to keep a replica of this node's sessions: they are on this node only");
        }
        completeAwaitingCopy();
        drain();
      } else {
        copyTo(next);
      }
    });
  }

  /** The next node after {@code self} in id order, so that each node's replica is on a different node. */
  static String pick(List<String> others, String self) {
    String first = null;
    String next = null;
    for (String node : others) {
      if (first == null || node.compareTo(first) < 0) {
        first = node;
      }
      if (node.compareTo(self) > 0 && (next == null || node.compareTo(next) < 0)) {
        next = node;
      }
    }
    return next != null ? next : first;
  }

  /** On the context: a full copy to {@code node}, which keeps the replica from now on. */
  private void copyTo(String node) {
    String previous = replica;
    if (previous != null && !previous.equals(node)) {
      // after every change sent to it (same context, same link): it no longer keeps this node's replica
      transport.replicate(previous, ReplicaFrame.encode(self.get(), List.of(new ReplicaOp.Release())));
    }
    copying = true;
    replica = node;
    owners.replicaChosen(node);
    send(node, List.of(new ReplicaOp.Reset()), List.of(track()));
    blocking.execute(() -> {
      List<SessionState> sessions;
      try {
        sessions = SessionState.of(delegate.load());
      } catch (RuntimeException e) {
        log.error("cannot read the sessions to copy to node {}: {}", node, e.toString());
        sessions = List.of();
      }
      List<SessionState> copy = sessions;
      context.runOnContext(v -> finishCopy(node, copy));
    });
  }

  private void finishCopy(String node, List<SessionState> sessions) {
    if (!node.equals(replica)) {
      return; // another node was picked meanwhile, and copied to
    }
    List<ReplicaOp> ops = new ArrayList<>();
    for (SessionState state : sessions) {
      ops.add(new ReplicaOp.SaveSession(state.session()));
      state.queue().forEach(queued -> ops.add(new ReplicaOp.Enqueue(state.clientId(), queued)));
      state.inboundPacketIds().forEach(id -> ops.add(new ReplicaOp.AddInbound(state.clientId(), id)));
      if (ops.size() >= MAX_OPS_PER_FRAME) {
        send(node, List.copyOf(ops), List.of(track()));
        ops.clear();
      }
    }
    // the last frame, even if empty, also carries the changes whose acknowledgement failed: the copy holds them
    List<CompletableFuture<Void>> taken = new ArrayList<>(awaitingCopy);
    awaitingCopy.clear();
    taken.add(track());
    send(node, ops, taken);
    log.info("copied {} sessions to node {}, which keeps their replica", sessions.size(), node);
    copying = false;
    drain();
  }

  /** A future that {@link #sync()} waits for from now on. */
  private CompletableFuture<Void> track() {
    CompletableFuture<Void> taken = new CompletableFuture<>();
    replicated.updateAndGet(previous -> previous.isDone() ? taken : previous.thenCombine(taken, (a, b) -> null));
    return taken;
  }

  private void record(ReplicaOp op) {
    List<ReplicaOp> ops = group.get();
    if (ops != null) {
      ops.add(op);
    } else {
      submit(List.of(op));
    }
  }

  /**
   * This node leaves the cluster (it stops): nothing more is sent. A change recorded from now on is never
   * acknowledged as replicated, and no copy is retried.
   */
  void stop() {
    stopped = true;
  }

  private void submit(List<ReplicaOp> ops) {
    if (stopped) {
      track(); // never done: what waits for the store alone is not acknowledged by a node on its way out
      return;
    }
    if (replica == null) {
      return; // no other node; a replica picked later gets a full copy
    }
    pending.add(new Pending(ops, track()));
    if (drainScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
  }

  /** On the context: sends what waits, a frame per {@link #MAX_OPS_PER_FRAME} changes. */
  private void drain() {
    drainScheduled.set(false);
    if (copying) {
      return;
    }
    String node = replica;
    List<ReplicaOp> ops = new ArrayList<>();
    List<CompletableFuture<Void>> taken = new ArrayList<>();
    for (Pending next = pending.poll(); next != null; next = pending.poll()) {
      ops.addAll(next.ops());
      taken.add(next.taken());
      if (ops.size() >= MAX_OPS_PER_FRAME) {
        send(node, ops, taken);
        ops = new ArrayList<>();
        taken = new ArrayList<>();
      }
    }
    if (!taken.isEmpty()) {
      send(node, ops, taken);
    }
  }

  private void send(String node, List<ReplicaOp> ops, List<CompletableFuture<Void>> taken) {
    if (node == null) {
      taken.forEach(future -> future.complete(null));
      return;
    }
    Buffer frame = ReplicaFrame.encode(self.get(), ops);
    transport.replicate(node, frame).whenComplete((done, failure) -> {
      if (failure == null) {
        taken.forEach(future -> future.complete(null));
      } else {
        // not known to be on the replica: acknowledged once a full copy that holds them is
        context.runOnContext(v -> {
          awaitingCopy.addAll(taken);
          lost(node, failure);
        });
      }
    });
  }

  private void completeAwaitingCopy() {
    awaitingCopy.forEach(future -> future.complete(null));
    awaitingCopy.clear();
  }

  private void lost(String node, Throwable failure) {
    String current = replica;
    if (stopped) {
      return;
    }
    if (current == null) {
      completeAwaitingCopy(); // no other node: the changes are on this node only
    } else if (!copying) {
      log.warn("node {} may have missed changes to this node's sessions ({}); copying them all to node {}", node,
          failure.getMessage(), current);
      copyTo(current);
    }
  }

  // ---------------------------------------------------------------- BrokerStore

  /**
   * Claims the sessions of {@code clientIds}, recovered from this node's store and still this node's, and from now
   * on every session saved here. Until then nothing is claimed: recovery saves sessions that another node may hold
   * now, and the directory must still say so when they are checked.
   */
  void claimRecovered(List<String> clientIds) {
    claiming = true;
    clientIds.forEach(this::claim);
  }

  /**
   * The session of {@code clientId} is being handed over to another node: deleting it here does not release it in
   * the directory, which the caller points at the new node instead.
   */
  void handingOver(String clientId) {
    handingOver.add(clientId);
  }

  /** The hand-over of the session of {@code clientId} is over, whether it took place or not. */
  void handedOver(String clientId) {
    handingOver.remove(clientId);
  }

  /**
   * The session of {@code clientId} is being adopted here (taken over, or handed over): saving it does not claim it,
   * since another node may hold a copy too; the adopter claims it if the directory still allows
   * ({@link SessionDirectory#claimFrom}), then calls {@link #adopted}.
   */
  void adopting(String clientId) {
    adopting.add(clientId);
  }

  /** The adoption of the session of {@code clientId} is over; {@code claimedHere}: the directory names this node. */
  void adopted(String clientId, boolean claimedHere) {
    if (claimedHere) {
      claimed.add(clientId);
    }
    adopting.remove(clientId);
  }

  private void claim(String clientId) {
    if (claiming && !adopting.contains(clientId) && claimed.add(clientId)) {
      owners.claim(clientId);
    }
  }

  @Override
  public void saveSession(StoredSession session) {
    delegate.saveSession(session);
    record(new ReplicaOp.SaveSession(session));
    claim(session.clientId());
  }

  @Override
  public void deleteSession(String clientId) {
    delegate.deleteSession(clientId);
    record(new ReplicaOp.DeleteSession(clientId));
    if (claimed.remove(clientId) && !handingOver.contains(clientId)) {
      owners.release(clientId);
    }
  }

  @Override
  public void enqueue(String clientId, QueuedMessage message) {
    delegate.enqueue(clientId, message);
    record(new ReplicaOp.Enqueue(clientId, message));
  }

  @Override
  public void dequeue(String clientId, long sequence) {
    delegate.dequeue(clientId, sequence);
    record(new ReplicaOp.Dequeue(clientId, sequence));
  }

  @Override
  public void markProgress(String clientId, long sequence, QueuedMessage.Progress progress) {
    delegate.markProgress(clientId, sequence, progress);
    record(new ReplicaOp.Progress(clientId, sequence, progress));
  }

  @Override
  public void addInboundPacketId(String clientId, int packetId) {
    delegate.addInboundPacketId(clientId, packetId);
    record(new ReplicaOp.AddInbound(clientId, packetId));
  }

  @Override
  public void removeInboundPacketId(String clientId, int packetId) {
    delegate.removeInboundPacketId(clientId, packetId);
    record(new ReplicaOp.RemoveInbound(clientId, packetId));
  }

  @Override
  public <T> T atomically(Supplier<T> changes) {
    if (group.get() != null) {
      return delegate.atomically(changes);
    }
    List<ReplicaOp> ops = new ArrayList<>();
    group.set(ops);
    try {
      return delegate.atomically(changes);
    } finally {
      group.remove();
      if (!ops.isEmpty()) {
        submit(ops);
      }
    }
  }

  @Override
  public CompletableFuture<Void> sync() {
    CompletableFuture<Void> held = replicated.get();
    CompletableFuture<Void> durable = delegate.sync();
    return held.isDone() ? durable : durable.thenCombine(held, (a, b) -> null);
  }

  @Override
  public String toString() {
    return "replicating " + Objects.toString(delegate);
  }
}
