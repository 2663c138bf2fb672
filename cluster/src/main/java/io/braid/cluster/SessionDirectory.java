package io.braid.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node holds which persistent session, and which node keeps each node's replica, in two Hazelcast maps:
 * low-rate metadata, written when a session is created, moved or ended, and when a node picks its replica.
 *
 * <p><b>Threading:</b> any thread; every call is asynchronous.
 */
final class SessionDirectory implements ReplicatingStore.Owners {

  private static final Logger log = LoggerFactory.getLogger(SessionDirectory.class);
  static final String OWNERS = "braid.session-owners";
  static final String REPLICAS = "braid.session-replicas";

  private final IMap<String, String> owners;
  private final IMap<String, String> replicas;
  private final Supplier<String> self;
  private final Executor callbacks;

  /**
   * @param callbacks where what follows a lookup runs: never on Hazelcast's own threads, which may not call it again
   */
  SessionDirectory(HazelcastInstance hazelcast, Supplier<String> self, Executor callbacks) {
    this.owners = hazelcast.getMap(OWNERS);
    this.replicas = hazelcast.getMap(REPLICAS);
    this.self = self;
    this.callbacks = callbacks;
  }

  private <T> CompletableFuture<T> offHazelcast(CompletionStage<T> stage) {
    return stage.toCompletableFuture().thenApplyAsync(value -> value, callbacks);
  }

  @Override
  public void claim(String clientId) {
    owners.setAsync(clientId, self.get()).exceptionally(failure -> failed("claim the session of " + clientId, failure));
  }

  @Override
  public void release(String clientId) {
    releaseIfOwnedBy(clientId, self.get());
  }

  /** Forgets who holds the session of {@code clientId} if it is {@code node}: a later claim of another stays. */
  void releaseIfOwnedBy(String clientId, String node) {
    owners.submitToKey(clientId, new ReplaceIfValue(node, null))
        .exceptionally(failure -> failed("release the session of " + clientId, failure));
  }

  /**
   * Names this node for the session of {@code clientId} if {@code from} holds it or nobody does; completes with
   * whether it did. Of two nodes with a copy of a session (an heir and the node it moved to), the first to claim it
   * keeps it.
   */
  CompletableFuture<Boolean> claimFrom(String clientId, String from) {
    return offHazelcast(owners.submitToKey(clientId, new ClaimUnlessHeldElsewhere(from, self.get())));
  }

  @Override
  public void replicaChosen(String replica) {
    replicas.setAsync(self.get(), replica).exceptionally(failure -> failed("record the replica node", failure));
  }

  /** The node that holds the session of {@code clientId}, or null. */
  CompletableFuture<String> ownerOf(String clientId) {
    return offHazelcast(owners.getAsync(clientId));
  }

  /** The node that keeps {@code node}'s replica, or null. */
  CompletableFuture<String> replicaOf(String node) {
    return offHazelcast(replicas.getAsync(node));
  }

  /** Blocking: the node that holds the session of {@code clientId}, or null. At start-up only. */
  String ownerNow(String clientId) {
    return owners.get(clientId);
  }

  /** {@code node}, which left, keeps no replica any more, and its own replica was taken over. */
  void forgetReplicaOf(String node) {
    replicas.removeAsync(node).exceptionally(failure -> failed("forget the replica of node " + node, failure));
  }

  private static <T> T failed(String what, Throwable failure) {
    log.warn("cannot {} in the cluster's session directory: {}", what, failure.toString());
    return null;
  }

  /** Replaces an entry (null: removes it) only if it holds the expected value; runs on the member that owns the key. */
  static final class ReplaceIfValue implements EntryProcessor<String, String, Boolean> {

    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String replacement;

    ReplaceIfValue(String expected, String replacement) {
      this.expected = expected;
      this.replacement = replacement;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      if (expected.equals(entry.getValue())) {
        entry.setValue(replacement);
        return true;
      }
      return false;
    }
  }

  /** Names a node unless the entry names a node other than {@code expected}; runs on the member that owns the key. */
  static final class ClaimUnlessHeldElsewhere implements EntryProcessor<String, String, Boolean> {

    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String claimant;

    ClaimUnlessHeldElsewhere(String expected, String claimant) {
      this.expected = expected;
      this.claimant = claimant;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      String owner = entry.getValue();
      if (owner == null || owner.equals(expected) || owner.equals(claimant)) {
        entry.setValue(claimant);
        return true;
      }
      return false;
    }
  }
}
