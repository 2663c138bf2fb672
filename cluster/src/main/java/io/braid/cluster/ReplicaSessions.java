package io.braid.cluster;

import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionState;
import io.braid.pubsub.store.StoredSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The replica of one node's persistent sessions, kept in memory by another node from the changes it is sent
 * ({@link ReplicaOp}), until that node leaves the cluster and this one takes the sessions over.
 *
 * <p>The owner records a publish's changes as one group and sends the group when it is complete, so a removal made
 * meanwhile on another thread (the subscriber acknowledged at once) can arrive before the message it removes. Such a
 * removal is remembered, and the message is not kept when it comes; progress that comes first waits for it likewise.
 *
 * <p><b>Threading:</b> thread safe; changes come from one event loop, the take-over from another thread.
 */
final class ReplicaSessions {

  private final Map<String, Replica> sessions = new HashMap<>();

  /** One session: its record (null until it comes), queue, inbound packet ids, early removals and progress. */
  private static final class Replica {
    StoredSession record;
    final TreeMap<Long, QueuedMessage> queue = new TreeMap<>();
    final Set<Integer> inbound = new HashSet<>();
    final Set<Long> removedEarly = new HashSet<>();
    final Map<Long, QueuedMessage.Progress> progressEarly = new HashMap<>();
  }

  synchronized void apply(List<ReplicaOp> ops) {
    for (ReplicaOp op : ops) {
      apply(op);
    }
  }

  private void apply(ReplicaOp op) {
    if (op instanceof ReplicaOp.Reset) {
      sessions.clear();
    } else if (op instanceof ReplicaOp.SaveSession save) {
      replica(save.session().clientId()).record = save.session();
    } else if (op instanceof ReplicaOp.DeleteSession delete) {
      sessions.remove(delete.clientId());
    } else if (op instanceof ReplicaOp.Enqueue enqueue) {
      enqueue(replica(enqueue.clientId()), enqueue.message());
    } else if (op instanceof ReplicaOp.Dequeue dequeue) {
      Replica replica = replica(dequeue.clientId());
      if (replica.queue.remove(dequeue.sequence()) == null) {
        replica.removedEarly.add(dequeue.sequence());
      }
    } else if (op instanceof ReplicaOp.Progress progress) {
      progress(replica(progress.clientId()), progress.sequence(), progress.progress());
    } else if (op instanceof ReplicaOp.AddInbound add) {
      replica(add.clientId()).inbound.add(add.packetId());
    } else if (op instanceof ReplicaOp.RemoveInbound remove) {
      replica(remove.clientId()).inbound.remove(remove.packetId());
    }
  }

  private static void enqueue(Replica replica, QueuedMessage message) {
    long sequence = message.sequence();
    if (replica.removedEarly.remove(sequence)) {
      return;
    }
    QueuedMessage.Progress early = replica.progressEarly.remove(sequence);
    replica.queue.put(sequence, early == null ? message : message.reached(early));
  }

  private static void progress(Replica replica, long sequence, QueuedMessage.Progress progress) {
    QueuedMessage queued = replica.queue.get(sequence);
    if (queued != null) {
      replica.queue.put(sequence, queued.reached(progress));
    } else if (!replica.removedEarly.contains(sequence)) {
      replica.progressEarly.merge(sequence, progress, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
  }

  private Replica replica(String clientId) {
    return sessions.computeIfAbsent(clientId, id -> new Replica());
  }

  /** The sessions held, each with a record (changes of a session whose record never came are dropped). */
  synchronized List<SessionState> states() {
    List<SessionState> states = new ArrayList<>(sessions.size());
    for (Replica replica : sessions.values()) {
      if (replica.record != null) {
        states.add(new SessionState(replica.record, List.copyOf(replica.queue.values()), replica.inbound));
      }
    }
    return states;
  }

  synchronized int sessionCount() {
    return (int) sessions.values().stream().filter(replica -> replica.record != null).count();
  }
}
