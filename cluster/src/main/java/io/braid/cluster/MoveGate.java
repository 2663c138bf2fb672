package io.braid.cluster;

import io.braid.pubsub.message.ApplicationMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The deliveries to one session that moved here from another node, while that node still relays what reaches it
 * for the session (the other nodes learn the session's new routes only within milliseconds, and until then send
 * to the former node). A publish can then come by three ways: in the state handed over, relayed, and directly; the
 * relayed copy may trail the direct one. So the gate makes the relay the session's only source until the former
 * node ends it:
 *
 * <ul>
 *   <li>relayed copies are delivered in the order the former node relayed them (held in memory until the session
 *       is here), but those of messages that the handed-over state held already;
 *   <li>direct copies (from the other nodes and this one) are held back;
 *   <li>when the relay ends, the held copies of messages that came by no other way are delivered, in arrival order,
 *       and the gate opens: what comes from then on goes to the session at once, but a copy of a message one way
 *       delivered already. The relay's end does not wait for the other nodes' links: a direct copy sent before the
 *       last relayed one may still arrive after it (a slower link), and a relayed copy offered as the relay ended may
 *       follow its end. So an open gate goes on counting until it is {@linkplain SessionMoves dropped}, a few seconds
 *       later.
 * </ul>
 *
 * Copies are told apart by {@link MessageKey}, counted: per key, as many messages reach the session as the way
 * that carried the most copies. Every publish reaches the former node while it relays (its routes are kept), and
 * every node knows the new routes long before the relay ends, so nothing is lost, nothing is delivered twice, and
 * each publisher's order holds.
 *
 * <p><b>Threading:</b> any thread; every call takes the gate's lock (only messages for a moving session do).
 */
final class MoveGate {

  /** Keys remembered; the oldest are forgotten past this (a copy that matched one is then delivered again). */
  static final int MAX_KEYS = 200_000;
  private static final int HANDED = 0;
  private static final int RELAYED = 1;
  private static final int DIRECT = 2;

  private final String clientId;
  private final String from;
  private final Function<ApplicationMessage, CompletableFuture<Integer>> deliver;
  private final List<ApplicationMessage> early = new ArrayList<>();
  /** Per key, the copies that came in the handed state, relayed and directly. */
  private final Map<MessageKey, int[]> counts = new LinkedHashMap<>();
  private final List<Held> held = new ArrayList<>();
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private boolean arrived;
  private boolean open;
  /** For the log: relayed copies delivered, and those skipped as handed over already. */
  private int relayedDelivered;
  private int relayedSkipped;
  private int heldCount;
  private int heldDelivered;
  /** For the log: copies that came after the gate opened, of messages delivered already. */
  private int lateDropped;

  private record Held(ApplicationMessage message, MessageKey key) {
  }

  /** A gate for {@code clientId}, moving here from node {@code from}; {@code deliver} hands a copy to the session. */
  MoveGate(String clientId, String from, Function<ApplicationMessage, CompletableFuture<Integer>> deliver) {
    this.clientId = clientId;
    this.from = from;
    this.deliver = deliver;
  }

  String clientId() {
    return clientId;
  }

  /** The node the session moves from, which relays. */
  String from() {
    return from;
  }

  /** The newest messages of the session's handed-over queue: copies of these are not delivered again. */
  synchronized void handedOver(List<ApplicationMessage> newest) {
    newest.forEach(message -> count(MessageKey.of(message))[HANDED]++);
  }

  /** A copy the former node relayed. Completes once the session has it (durable if queued, or acknowledged). */
  synchronized CompletableFuture<Integer> relayed(ApplicationMessage message) {
    if (open) {
      return late(message, RELAYED) ? deliver.apply(message) : CompletableFuture.completedFuture(0);
    }
    if (!arrived) {
      // taken at once, in memory: the link acknowledges in order, and what follows on it (the session's state as
      // the former node's replica) must not wait behind the session's arrival, which waits for that state
      early.add(message);
      return CompletableFuture.completedFuture(0);
    }
    int[] copies = count(MessageKey.of(message));
    copies[RELAYED]++;
    if (copies[RELAYED] > copies[HANDED]) {
      relayedDelivered++;
      return deliver.apply(message);
    }
    relayedSkipped++;
    return CompletableFuture.completedFuture(0);
  }

  /**
   * A direct copy for the session: returns true if the gate took it (held until the relay ends, or dropped once it
   * is open as a copy of a message delivered already), false if the caller delivers it as usual.
   */
  synchronized boolean direct(ApplicationMessage message) {
    if (open) {
      return !late(message, DIRECT);
    }
    MessageKey key = MessageKey.of(message);
    count(key)[DIRECT]++;
    held.add(new Held(message, key));
    return true;
  }

  /** The session is here: the relayed copies that came before it are delivered, in order. */
  synchronized void arrived() {
    arrived = true;
    early.forEach(this::relayed);
    early.clear();
  }

  /**
   * The relay ended (or its node left, or the move failed): the held direct copies of messages that came by no
   * other way are delivered, in arrival order (per key the last ones: the earlier ones are those the other ways
   * carried too), and the gate opens. Returns false if it was open already.
   */
  boolean open() {
    boolean openedNow = openHeld();
    opened.complete(null); // outside the lock: what waits for it may hand the session on
    return openedNow;
  }

  /**
   * A copy that came by {@code way} after the gate opened: whether it is to be delivered, that is whether it is one
   * more than every way carried of its message so far (else that message reached the session already).
   */
  private boolean late(ApplicationMessage message, int way) {
    int[] copies = count(MessageKey.of(message));
    int delivered = Math.max(copies[HANDED], Math.max(copies[RELAYED], copies[DIRECT]));
    copies[way]++;
    if (copies[way] > delivered) {
      return true;
    }
    lateDropped++;
    return false;
  }

  /**
   * Whether {@code message}, a copy that came here after the session moved on, is one of a message the open gate
   * delivered already (then it is counted as a late direct copy); false while the gate is closed.
   */
  synchronized boolean deliveredAlready(ApplicationMessage message) {
    return open && !late(message, DIRECT);
  }

  /** Completes once the gate is open: the former node's relay is over, and every copy it held is delivered. */
  CompletableFuture<Void> whenOpen() {
    return opened.copy();
  }

  private synchronized boolean openHeld() {
    if (open) {
      return false;
    }
    if (!arrived) {
      arrived();
    }
    open = true;
    heldCount = held.size();
    Map<MessageKey, Integer> excess = new HashMap<>();
    counts.forEach((key, copies) -> {
      int more = copies[DIRECT] - Math.max(copies[HANDED], copies[RELAYED]);
      if (more > 0) {
        excess.put(key, more);
      }
    });
    boolean[] deliverable = new boolean[held.size()];
    for (int i = held.size() - 1; i >= 0; i--) {
      MessageKey key = held.get(i).key();
      if (!counts.containsKey(key)) {
        deliverable[i] = true; // forgotten: a duplicate rather than a loss
      } else if (excess.containsKey(key)) {
        deliverable[i] = true;
        excess.compute(key, (k, n) -> n == 1 ? null : n - 1);
      }
    }
    for (int i = 0; i < deliverable.length; i++) {
      if (deliverable[i]) {
        deliver.apply(held.get(i).message());
        heldDelivered++;
      }
    }
    held.clear(); // the counts stay: copies may still come by either way
    return true;
  }

  /** What went through the gate, for the log once it is open. */
  synchronized String summary() {
    return relayedDelivered + " relayed copies delivered, " + relayedSkipped + " skipped (handed over), "
        + heldCount + " direct copies held, " + heldDelivered + " of them (those that came by no other way) delivered";
  }

  /** Copies that came after the gate opened, of messages that had reached the session already: dropped. */
  synchronized int lateDropped() {
    return lateDropped;
  }

  private int[] count(MessageKey key) {
    int[] copies = counts.computeIfAbsent(key, k -> new int[3]);
    if (counts.size() > MAX_KEYS) {
      Iterator<MessageKey> oldest = counts.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return copies;
  }
}
