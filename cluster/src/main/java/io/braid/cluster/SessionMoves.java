package io.braid.cluster;

import io.braid.pubsub.broker.ForwardingLocalDelivery;
import io.braid.pubsub.broker.MessageRouter.LocalDelivery;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionState;
import io.braid.pubsub.subscription.Delivery;
import io.braid.pubsub.topic.TopicFilter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions moving between two live nodes, make-before-break, so that no publish falls between the former node's
 * routes and the new node's.
 *
 * <ul>
 *   <li>The former node keeps the session's routes for {@link #RELAY_MILLIS} after handing it over, and relays what
 *       they match (its own publishes and what other nodes forward to it) to the new node, on behalf of the session;
 *       a QoS 1/2 copy it was sent is acknowledged once the new node has the relayed one. Then it withdraws the
 *       routes and tells the new node that the relay ended (a {@link #RELAY_END} frame, behind the last relayed
 *       copy on the link).
 *   <li>The new node delivers to the session through a {@link MoveGate} until then.
 * </ul>
 *
 * <p><b>Threading:</b> any thread.
 */
final class SessionMoves {

  private static final Logger log = LoggerFactory.getLogger(SessionMoves.class);
  /** How long a former node relays: far longer than the new routes take to reach every node (milliseconds). */
  static final long RELAY_MILLIS = 5_000;
  /** A gate whose relay never ended (its node vanished unnoticed) opens after this. */
  static final long GATE_MILLIS = RELAY_MILLIS + 30_000;
  /**
   * How long an open gate still counts copies: one way's copy of a message may trail the other's by the difference
   * of two links' delays (milliseconds; seconds at worst, a node stalled by a pause), and is then not delivered again.
   */
  static final long LATE_COPIES_MILLIS = 10_000;
  /** First byte of the frame that ends a relay: u8 0x81, then the UTF-8 client id. */
  static final int RELAY_END = 0x81;
  private static final String OWNER = "session ";
  /**
   * The newest queued messages of a handed-over state that its gate remembers: one routed there as the session left
   * may be relayed too.
   */
  private static final int HANDED_KEYS = 1_000;

  private final Vertx vertx;
  private final PeerTransport transport;
  private final InheritedRoutes inherited;
  private final Consumer<List<TopicFilter>> release;
  /** Outgoing: client id -> the node it is being handed over to. */
  private final Map<String, String> handingOver = new ConcurrentHashMap<>();
  /** Incoming: client id -> its gate. */
  private final Map<String, MoveGate> gates = new ConcurrentHashMap<>();
  private volatile BiFunction<String, ApplicationMessage, CompletableFuture<Integer>> deliver;

  /**
   * {@code inherited} gets the relayed routes; {@code release} withdraws a relayed session's filters once the relay
   * ends (they stayed counted as this node's).
   */
  SessionMoves(Vertx vertx, PeerTransport transport, InheritedRoutes inherited,
      Consumer<List<TopicFilter>> release) {
    this.vertx = vertx;
    this.transport = transport;
    this.inherited = inherited;
    this.release = release;
  }

  /** How a copy reaches one local session: the broker's targeted delivery. */
  void deliverWith(BiFunction<String, ApplicationMessage, CompletableFuture<Integer>> deliver) {
    this.deliver = deliver;
  }

  /** The name under which a moving session's routes are inherited, and its relayed copies are on behalf of. */
  static String owner(String clientId) {
    return OWNER + clientId;
  }

  /** The client of a {@link #owner} name, or null if {@code owner} names a node. */
  static String clientOf(String owner) {
    return owner.startsWith(OWNER) ? owner.substring(OWNER.length()) : null;
  }

  static boolean isRelayEnd(Buffer frame) {
    return frame.length() > 0 && frame.getUnsignedByte(0) == RELAY_END;
  }

  // ---- the former node

  /** The session of {@code clientId} is about to be handed over to {@code node}. */
  void handingOver(String clientId, String node) {
    handingOver.put(clientId, node);
  }

  /** The hand-over did not happen (no such session, or it failed). */
  void notHandedOver(String clientId) {
    handingOver.remove(clientId);
  }

  /**
   * The session of {@code clientId} leaves this node's router with {@code filters}: if it is being handed over, its
   * routes are kept and relayed to the new node, and true is returned (the caller keeps the filters counted).
   */
  boolean relayFrom(String clientId, List<TopicFilter> filters) {
    String node = handingOver.remove(clientId);
    if (node == null) {
      return false;
    }
    String owner = owner(clientId);
    inherited.inherit(owner, node, Set.copyOf(filters)); // before the session leaves the router: no gap
    vertx.setTimer(RELAY_MILLIS, timer -> endRelay(clientId, node, filters));
    log.info("relaying what the {} filters of session {} match to node {}, where it moved, for {} ms", filters.size(),
        clientId, node, RELAY_MILLIS);
    return true;
  }

  private void endRelay(String clientId, String node, List<TopicFilter> filters) {
    inherited.expire(owner(clientId));
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    transport.send(node, Buffer.buffer(1 + id.length).appendByte((byte) RELAY_END).appendBytes(id));
    release.accept(filters);
  }

  // ---- the new node

  /** The session of {@code clientId} is asked from node {@code from}: its gate opens now, before any relayed copy. */
  void expect(String clientId, String from) {
    MoveGate gate = new MoveGate(clientId, from, message -> deliver.apply(clientId, message));
    gates.put(clientId, gate);
    vertx.setTimer(GATE_MILLIS, timer -> open(gate, "no end of relay came"));
  }

  /** The session's state came: copies of its newest queued messages are not delivered again. */
  void handedOver(String clientId, SessionState state) {
    MoveGate gate = gates.get(clientId);
    if (gate != null) {
      List<QueuedMessage> queue = state.queue();
      gate.handedOver(queue.subList(Math.max(0, queue.size() - HANDED_KEYS), queue.size()).stream()
          .map(QueuedMessage::message).toList());
    }
  }

  /** The session is here. */
  void arrived(String clientId) {
    MoveGate gate = gates.get(clientId);
    if (gate != null) {
      gate.arrived();
    }
  }

  /** The session did not come (none there, or the hand-over failed). */
  void notArrived(String clientId) {
    MoveGate gate = gates.get(clientId);
    if (gate != null && gates.remove(clientId, gate)) {
      gate.open(); // the client is refused for now (0x89) and comes again
    }
  }

  /**
   * Completes once no node relays to this one for {@code clientId}'s session any more: at once unless it moved here
   * and its former node's relay has not ended. Until then the session is not handed on: a copy the gate holds, or
   * one relayed after the session left, would reach no session.
   */
  CompletableFuture<Void> whenRelayEnded(String clientId) {
    MoveGate gate = gates.get(clientId);
    return gate == null ? CompletableFuture.completedFuture(null) : gate.whenOpen();
  }

  /** The former node ended its relay for the session named in {@code frame}. */
  void relayEnded(Buffer frame) {
    String clientId = frame.getString(1, frame.length(), "UTF-8");
    MoveGate gate = gates.get(clientId);
    if (gate != null) {
      open(gate, "the relay ended");
    }
  }

  /** A copy relayed on behalf of {@code clientId}'s session. Completes once the session has it. */
  CompletableFuture<Void> relayed(String clientId, ApplicationMessage message) {
    MoveGate gate = gates.get(clientId);
    if (gate == null) {
      return CompletableFuture.completedFuture(null); // late: its direct copy reached the session
    }
    return gate.relayed(message).thenAccept(count -> { });
  }

  /**
   * Whether {@code message}, which another node sent here for {@code clientId}'s session after the session moved on
   * from here, is a copy of one that reached the session here through its gate (a direct copy that trailed the end
   * of the relay that brought the session): then it is not relayed on. Counted by the gate as a late copy.
   */
  boolean deliveredHere(String clientId, ApplicationMessage message) {
    MoveGate gate = gates.get(clientId);
    return gate != null && gate.deliveredAlready(message);
  }

  /** {@code node} left: the relays it made end, and so do those this node made to it. */
  void nodeLeft(String node) {
    gates.values().stream().filter(gate -> gate.from().equals(node)).toList()
        .forEach(gate -> open(gate, "node " + node + " left"));
  }

  private void open(MoveGate gate, String why) {
    // opened in the map: a request for the session meanwhile waits until what it held is delivered
    if (!gate.open()) {
      return; // opened before
    }
    log.info("session {}, moved here from node {}: {}; {}", gate.clientId(), gate.from(), why, gate.summary());
    // a copy trailing its message's other copy is still recognised a while
    vertx.setTimer(LATE_COPIES_MILLIS, timer -> {
      if (gates.remove(gate.clientId(), gate) && gate.lateDropped() > 0) {
        log.info("session {}, moved here from node {}: {} copies came after the relay ended of messages delivered "
            + "already, not delivered again", gate.clientId(), gate.from(), gate.lateDropped());
      }
    });
  }

  /** {@code delivery}, with the copies for sessions behind a gate taken by their gate; as is if none is. */
  LocalDelivery gated(LocalDelivery delivery) {
    return gates.isEmpty() ? delivery : new Gated(delivery);
  }

  /** Routes one message: each gated session's copy goes to its gate once, whatever its matching subscriptions. */
  private final class Gated extends ForwardingLocalDelivery {
    private Set<String> taken;

    Gated(LocalDelivery delivery) {
      super(delivery);
    }

    @Override
    public void deliver(ApplicationMessage message, Delivery to) {
      if (taken != null && taken.contains(to.clientId())) {
        return;
      }
      MoveGate gate = gates.get(to.clientId());
      if (gate != null && gate.direct(message)) {
        if (taken == null) {
          taken = new HashSet<>(2);
        }
        taken.add(to.clientId());
        return;
      }
      super.deliver(message, to);
    }
  }
}
