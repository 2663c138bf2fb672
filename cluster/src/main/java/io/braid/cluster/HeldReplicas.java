package io.braid.cluster;

import io.braid.pubsub.store.SessionState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicas this node keeps of other nodes' persistent sessions, one {@link ReplicaSessions} per owning node.
 *
 * <p><b>Threading:</b> thread safe.
 */
final class HeldReplicas {

  private final Map<String, ReplicaSessions> byOwner = new ConcurrentHashMap<>();
  /** Owners whose sessions were taken over: changes of theirs still on the way are dropped. */
  private final Set<String> departed = ConcurrentHashMap.newKeySet();

  /** Owners that keep their replica elsewhere now: their changes are ignored until a full copy starts again. */
  private final Set<String> released = ConcurrentHashMap.newKeySet();

  void apply(String owner, List<ReplicaOp> ops) {
    if (departed.contains(owner)) {
      return;
    }
    if (!ops.isEmpty() && ops.get(0) instanceof ReplicaOp.Reset) {
      released.remove(owner);
    }
    if (ops.stream().anyMatch(op -> op instanceof ReplicaOp.Release)) {
      released.add(owner);
      byOwner.remove(owner);
      return;
    }
    if (!released.contains(owner)) {
      byOwner.computeIfAbsent(owner, node -> new ReplicaSessions()).apply(ops);
    }
  }

  /** Takes out the sessions held for {@code owner}, which left the cluster; none more are kept for it. */
  List<SessionState> takeOver(String owner) {
    departed.add(owner);
    ReplicaSessions sessions = byOwner.remove(owner);
    return sessions == null ? List.of() : sessions.states();
  }

  /** Whether this node holds a replica for {@code owner}. */
  boolean holds(String owner) {
    return byOwner.containsKey(owner);
  }

  int sessionCount() {
    return byOwner.values().stream().mapToInt(ReplicaSessions::sessionCount).sum();
  }
}
