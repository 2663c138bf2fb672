package io.braid.pubsub.presence;

/**
 * Where a node's {@link Presence} tells the joins and leaves of its own members (those connected to it), so that the
 * other nodes of a cluster see them too.
 *
 * <p><b>Threading:</b> called under the presence lock, in the order the changes happened, from any thread: must
 * neither block nor call back into the presence.
 */
public interface PresenceReplication {

  /** A client connected here became a member. */
  void joined(Membership membership);

  /** A client connected here stopped being a member of {@code topic}. */
  void left(String topic, String clientId, LeaveReason reason);
}
