package io.braid.pubsub.broker;

import io.braid.pubsub.message.BrokerClock;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.topic.TopicFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker-to-subscriber half of the QoS protocol for one session (MQTT 5.0 §4.3, §4.4, §4.9): the messages
 * waiting to be sent, the in-flight window keyed by packet identifier, acknowledgements, and resending in the
 * original order after a reconnect.
 *
 * <p>Messages wait in one <em>lane</em> per subscription they travel for ({@link OutboundEntry#subscription}), and
 * leave each lane in order, so a publisher's messages on a topic reach the subscriber in the order they were queued,
 * also across redelivery (MQTT 5.0 §4.6). Lanes are served round robin, each only while the link says it can take
 * more for that subscription: a subscription whose channel is stalled holds back its own messages, never another
 * subscription's. A QoS 1/2 message is sent only while fewer than the window are in flight on the current
 * connection, and only if its packet
 * identifier (fixed by its sequence number) is free: if a very old message is still unacknowledged 65,535 sequence
 * numbers later, its lane waits rather than reuse the identifier.
 *
 * <p>Confined to the session's executor, except {@link #countDropped}, which publishers call from any thread.
 */
final class OutboundFlow {

  private final String clientId;
  private final BrokerStore store;
  private final BrokerStats stats;
  private final BrokerClock clock;
  /** Lanes with messages waiting or to resend, in the order they got their first one (the round robin order). */
  private final Map<TopicFilter, Lane> lanes = new LinkedHashMap<>();
  /** Packet identifier -> message, in the order first sent. */
  private final LinkedHashMap<Integer, OutboundEntry> inflight = new LinkedHashMap<>();
  /**
   * Messages dropped for a full queue per subscription, not yet attached to a later message: the next message
   * offered for the subscription takes the count ({@link #takeDropped}). Any thread.
   */
  private final Map<TopicFilter, AtomicLong> dropped = new ConcurrentHashMap<>();
  /**
   * Drops counted on the executor (oldest dropped, too large) with no later message in the lane yet to carry them:
   * the next message queued for the subscription takes them.
   */
  private final Map<TopicFilter, Long> carried = new HashMap<>();
  /** Subscriptions whose channel closed ({@link #abandon}): messages still arriving for them are dropped. */
  private final Set<TopicFilter> abandoned = new HashSet<>();
  private int waitingCount;
  /**
   * In-flight messages sent or resent on the current connection: what the window limits. Messages still in flight
   * from an earlier connection count only once resent, so that a subscription not yet reattached after a reconnect
   * does not hold the window of the others.
   */
  private int inflightCounted;

  OutboundFlow(String clientId, BrokerStore store, BrokerStats stats, BrokerClock clock) {
    this.clientId = clientId;
    this.store = store;
    this.stats = stats;
    this.clock = clock;
  }

  /**
   * Queues an entry at the back of its subscription's lane; returns false, forgetting it, if the subscription was
   * abandoned meanwhile (it was routed before the unsubscribe and arrived after it).
   */
  boolean add(OutboundEntry entry) {
    if (abandoned.contains(entry.subscription)) {
      forget(entry);
      return false;
    }
    enqueue(entry);
    return true;
  }

  /** The subscription exists again (subscribed anew): messages for it are accepted again. */
  void reinstate(TopicFilter subscription) {
    abandoned.remove(subscription);
  }

  /** Restores an entry recovered from the store: released ones resume in flight, the rest wait. */
  void restore(OutboundEntry entry) {
    if (entry.released) {
      inflight.put(entry.packetId(), entry);
    } else {
      enqueue(entry);
    }
  }

  /** Removes the oldest waiting entry of all lanes (overflow policy drop-oldest); returns it or null. */
  OutboundEntry dropOldest() {
    Lane oldest = null;
    for (Lane lane : lanes.values()) {
      OutboundEntry head = lane.waiting.peekFirst();
      if (head != null && (oldest == null || head.sequence < oldest.waiting.peekFirst().sequence)) {
        oldest = lane;
      }
    }
    if (oldest == null) {
      return null;
    }
    OutboundEntry entry = oldest.waiting.pollFirst();
    waitingCount--;
    forget(entry);
    carry(oldest, entry.droppedBefore + 1); // the gap lies right before the new head of the lane
    return entry;
  }

  /**
   * Notes a message for {@code subscription} dropped for a full queue (the newest: the one being offered), to
   * report with the next message offered for it. Any thread.
   */
  void countDropped(TopicFilter subscription) {
    dropped.computeIfAbsent(subscription, filter -> new AtomicLong()).incrementAndGet();
  }

  /**
   * The drops counted for {@code subscription} since the last call: the message being offered now follows them.
   * Called by the publisher that offers it, in its own order, so a publisher's gap is placed exactly. Any thread.
   */
  long takeDropped(TopicFilter subscription) {
    if (dropped.isEmpty()) {
      return 0;
    }
    AtomicLong count = dropped.get(subscription);
    return count == null ? 0 : count.getAndSet(0);
  }

  int waitingCount() {
    return waitingCount;
  }

  /** In-flight messages sent on the current connection (what the window limits). */
  int inflightCount() {
    return inflightCounted;
  }

  /**
   * Sends what the window and the link allow, one message per lane in turn: first the in-flight messages a
   * reconnect left to resend, then waiting ones, dropping expired ones. Returns how many waiting entries left the
   * queue (sent, or dropped as expired).
   */
  int pump(ClientLink link, int window) {
    int left = 0;
    boolean progress = true;
    while (progress && !lanes.isEmpty()) {
      progress = false;
      for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
        Lane lane = it.next();
        if (lane.isEmpty()) {
          it.remove();
          continue;
        }
        if (!link.writable(lane.subscription)) {
          continue;
        }
        OutboundEntry resend = lane.resend.peekFirst();
        if (resend != null) {
          if (inflight.get(resend.packetId()) != resend) { // acknowledged meanwhile
            lane.resend.pollFirst();
            progress = true;
          } else if (inflightCounted < window) {
            lane.resend.pollFirst();
            count(resend);
            resend(link, lane, resend);
            progress = true;
          }
          continue;
        }
        OutboundEntry entry = lane.waiting.peekFirst();
        long now = clock.nowMillis();
        if (entry.message.isExpired(now)) {
          lane.waiting.pollFirst();
          waitingCount--;
          forget(entry);
          carry(lane, entry.droppedBefore); // expiry is not a drop, but the drops before it still are
          stats.onDropped(DropReason.EXPIRED);
          left++;
          progress = true;
          continue;
        }
        if (entry.qos > 0 && (inflightCounted >= window || inflight.containsKey(entry.packetId()))) {
          continue;
        }
        lane.waiting.pollFirst();
        waitingCount--;
        left++;
        if (entry.qos > 0) {
          inflight.put(entry.packetId(), entry);
          count(entry);
        }
        if (!send(link, entry, now)) {
          discard(lane, entry);
        }
        progress = true;
      }
    }
    return left;
  }

  /**
   * After a reconnect: queues every in-flight message to be resent, in the order first sent, on its lane ahead of
   * the waiting ones: PUBLISH with DUP, or PUBREL for released QoS 2 ones (MQTT 5.0 §4.4). They count against the
   * new connection's window only once resent, when their subscription can take them.
   */
  void prepareResend() {
    for (Lane lane : lanes.values()) {
      lane.resend.clear();
    }
    inflightCounted = 0;
    for (OutboundEntry entry : inflight.values()) {
      entry.counted = false;
      lane(entry.subscription).resend.addLast(entry);
    }
  }

  /** PUBACK: completes a QoS 1 message. Returns false for an unknown identifier or a QoS 2 one. */
  boolean onPubAck(int packetId) {
    OutboundEntry entry = inflight.get(packetId);
    if (entry == null || entry.qos != 1) {
      return false;
    }
    complete(entry);
    return true;
  }

  /** What a PUBREC did. */
  enum PubRecOutcome {
    /** An unknown identifier or a QoS 1 one. */
    UNKNOWN,
    /** A failure reason code ended the exchange: the window has room. */
    ENDED,
    /** PUBREL was sent (or resent). */
    RELEASED,
    /** PUBREL goes out once the store made the release durable: call {@link #releaseDurable}. */
    RELEASE_WHEN_DURABLE
  }

  /**
   * PUBREC: a QoS 2 message was received; answers with PUBREL, also for a repeated PUBREC. A failure reason code
   * ends the exchange instead (MQTT 5.0 §4.3.3). For a stored message the PUBREL waits until its release is durable.
   */
  PubRecOutcome onPubRec(int packetId, boolean failure, ClientLink link) {
    OutboundEntry entry = inflight.get(packetId);
    if (entry == null || entry.qos != 2) {
      return PubRecOutcome.UNKNOWN;
    }
    if (failure && !entry.released) {
      complete(entry);
      return PubRecOutcome.ENDED;
    }
    if (!entry.released) {
      entry.released = true;
      if (entry.stored) {
        store.markProgress(clientId, entry.sequence, QueuedMessage.Progress.RELEASED);
        entry.releaseDurable = false;
        return PubRecOutcome.RELEASE_WHEN_DURABLE;
      }
    }
    if (link != null && entry.releaseDurable) {
      // the PUBREC arrived on the subscription's channel, which can carry the answer
      link.sendPubRel(entry.subscription, packetId);
    }
    return PubRecOutcome.RELEASED;
  }

  /** The release of {@code packetId} is durable: its PUBREL goes out on {@code link}, if connected. */
  void releaseDurable(int packetId, ClientLink link) {
    OutboundEntry entry = inflight.get(packetId);
    if (entry != null && entry.released && !entry.releaseDurable) {
      entry.releaseDurable = true;
      if (link != null) {
        link.sendPubRel(entry.subscription, packetId);
      }
    }
  }

  /** PUBCOMP: completes a released QoS 2 message. Returns false for an unknown or unreleased identifier. */
  boolean onPubComp(int packetId) {
    OutboundEntry entry = inflight.get(packetId);
    if (entry == null || !entry.released) {
      return false;
    }
    complete(entry);
    return true;
  }

  /**
   * Abandons everything travelling for {@code subscription}, waiting or in flight (its channel closed: nothing on
   * it can be acknowledged any more). Returns how many waiting entries were dropped.
   */
  int abandon(TopicFilter subscription) {
    abandoned.add(subscription);
    int waitingDropped = 0;
    Lane lane = lanes.remove(subscription);
    if (lane != null) {
      for (OutboundEntry entry : lane.waiting) {
        forget(entry);
      }
      waitingDropped = lane.waiting.size();
      waitingCount -= waitingDropped;
    }
    for (Iterator<OutboundEntry> it = inflight.values().iterator(); it.hasNext(); ) {
      OutboundEntry entry = it.next();
      if (entry.subscription.equals(subscription)) {
        it.remove();
        uncount(entry);
        forget(entry);
      }
    }
    dropped.remove(subscription);
    carried.remove(subscription);
    return waitingDropped;
  }

  /** Drops everything (session end or clean start); the store is cleared by the caller. */
  void clear() {
    lanes.clear();
    inflight.clear();
    dropped.clear();
    carried.clear();
    abandoned.clear();
    waitingCount = 0;
    inflightCounted = 0;
  }

  /** The in-flight messages in send order, then the waiting ones lane by lane; for tests and the admin API. */
  Iterator<OutboundEntry> entries() {
    List<OutboundEntry> all = new ArrayList<>(inflight.values());
    for (Lane lane : lanes.values()) {
      all.addAll(lane.waiting);
    }
    return all.iterator();
  }

  Map<Integer, OutboundEntry> inflightView() {
    return Collections.unmodifiableMap(inflight);
  }

  private void enqueue(OutboundEntry entry) {
    if (!carried.isEmpty()) {
      Long before = carried.remove(entry.subscription);
      if (before != null) {
        entry.droppedBefore += before;
      }
    }
    lane(entry.subscription).waiting.addLast(entry);
    waitingCount++;
  }

  /** {@code count} messages of the lane were dropped before its current head: the head, or the next one, tells. */
  private void carry(Lane lane, long count) {
    if (count == 0) {
      return;
    }
    OutboundEntry next = lane.waiting.peekFirst();
    if (next != null) {
      next.droppedBefore += count;
    } else {
      carried.merge(lane.subscription, count, Long::sum);
    }
  }

  /**
   * The client cannot take {@code entry} (too large): it is never sent and counts as delivered [MQTT-3.1.2-25],
   * reported as dropped with the lane's next message.
   */
  private void discard(Lane lane, OutboundEntry entry) {
    if (entry.qos > 0 && inflight.get(entry.packetId()) == entry) {
      complete(entry);
    } else {
      forget(entry);
    }
    stats.onDropped(DropReason.TOO_LARGE);
    carry(lane, entry.droppedBefore + 1);
  }

  private Lane lane(TopicFilter subscription) {
    return lanes.computeIfAbsent(subscription, Lane::new);
  }

  private void complete(OutboundEntry entry) {
    inflight.remove(entry.packetId());
    uncount(entry);
    forget(entry);
  }

  private void count(OutboundEntry entry) {
    if (!entry.counted) {
      entry.counted = true;
      inflightCounted++;
    }
  }

  private void uncount(OutboundEntry entry) {
    if (entry.counted) {
      entry.counted = false;
      inflightCounted--;
    }
  }

  /** Takes a message that will never be delivered out of the store. */
  void forget(OutboundEntry entry) {
    if (entry.stored) {
      store.dequeue(clientId, entry.sequence);
    }
  }

  private void resend(ClientLink link, Lane lane, OutboundEntry entry) {
    stats.onRedelivered();
    if (entry.released) {
      if (entry.releaseDurable) { // else releaseDurable sends it
        link.sendPubRel(entry.subscription, entry.packetId());
      }
    } else if (!send(link, entry, clock.nowMillis())) {
      discard(lane, entry);
    }
  }

  /**
   * Sends {@code entry} (with DUP if it was sent before), recording in the store that it was sent so that only
   * then a restart resends it with DUP; returns false if the client cannot take it.
   */
  private boolean send(ClientLink link, OutboundEntry entry, long now) {
    boolean dup = entry.sent && entry.qos > 0;
    boolean accepted = link.sendPublish(new OutboundPublish(entry.subscription, entry.message, entry.qos,
        entry.packetId(), dup, entry.retain, entry.subscriptionIdentifiers, entry.message.remainingExpiryInterval(now),
        entry.droppedBefore));
    if (!accepted) {
      return false;
    }
    if (!entry.sent && entry.stored) {
      store.markProgress(clientId, entry.sequence, QueuedMessage.Progress.SENT);
    }
    entry.sent = true;
    stats.onDelivered(entry.qos);
    return true;
  }

  /** The messages of one subscription: in-flight ones to resend after a reconnect, then waiting ones. */
  private static final class Lane {
    final TopicFilter subscription;
    final ArrayDeque<OutboundEntry> resend = new ArrayDeque<>();
    final ArrayDeque<OutboundEntry> waiting = new ArrayDeque<>();

    Lane(TopicFilter subscription) {
      this.subscription = subscription;
    }

    boolean isEmpty() {
      return resend.isEmpty() && waiting.isEmpty();
    }
  }
}
