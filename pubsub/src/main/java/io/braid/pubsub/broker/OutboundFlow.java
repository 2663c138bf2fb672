package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.BrokerClock;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

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
  private final Map<TopicFilter, OutboundLane> lanes = new LinkedHashMap<>();
  /** The lane last emptied and removed, kept for the next new lane (see {@link OutboundLane#reuseFor}), or null. */
  private OutboundLane spare;
  private final ReplaySeams seams = new ReplaySeams();
  /** Sequence numbers for entries made here (history replays), from the session's own counter. */
  private final LongSupplier sequences;
  /** The session's generation, for entries made here. */
  private int generation;
  /** Packet identifier -> message, in the order first sent. */
  private final LinkedHashMap<Integer, OutboundEntry> inflight = new LinkedHashMap<>();
  private final DropNotices drops = new DropNotices();
  /** Subscriptions whose channel closed ({@link #abandon}): messages still arriving for them are dropped. */
  private final Set<TopicFilter> abandoned = new HashSet<>();
  /** Entries queued in the lanes, held ones included: what the session's queue limit counts. */
  private int waitingCount;
  /**
   * In-flight messages sent or resent on the current connection: what the window limits. Messages still in flight
   * from an earlier connection count only once resent, so that a subscription not yet reattached after a reconnect
   * does not hold the window of the others.
   */
  private int inflightCounted;

  OutboundFlow(String clientId, BrokerStore store, BrokerStats stats, BrokerClock clock, LongSupplier sequences) {
    this.sequences = sequences;
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
    OutboundLane lane = lanes.get(entry.subscription);
    if (abandoned.contains(entry.subscription) || (lane == null || !lane.replaying()) && seams.isDuplicate(entry)) {
      forget(entry);
      return false;
    }
    enqueue(entry);
    return true;
  }

  /** The subscription starts in history: messages arriving for it from now on wait behind the replay. */
  void beginReplay(TopicFilter subscription) {
    lane(subscription).beginReplay();
  }

  /** The history read for the subscription after it was registered: it goes first. */
  void replay(TopicFilter subscription, List<ApplicationMessage> messages, Map<TopicName, Long> upTo,
      SubscriptionOptions options, int generation) {
    this.generation = generation;
    seams.covered(subscription, upTo);
    OutboundLane lane = lanes.get(subscription);
    if (lane != null && lane.replaying()) {
      lane.replay(messages, options);
    }
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

  /**
   * Applies {@code policy} after {@code added} joined its subscription's lane ({@link LaneOverflow}), within
   * {@code laneMax} for the lane and {@code sessionMax} for the session. Returns how many entries were dropped.
   */
  int enforce(OutboundEntry added, QueueOverflowPolicy policy, int laneMax, int sessionMax) {
    OutboundLane lane = lanes.get(added.subscription);
    if (lane == null) {
      return 0;
    }
    List<OutboundEntry> dropped = LaneOverflow.enforce(lane, added, policy, laneMax, waitingCount - sessionMax,
        stats, drops);
    dropped.forEach(this::forget);
    waitingCount -= dropped.size();
    return dropped.size();
  }

  /** A message for {@code subscription} was dropped as it was offered. Any thread. */
  void countDropped(TopicFilter subscription) {
    drops.countDropped(subscription);
  }

  /** The drops counted for {@code subscription} since the last call (see {@link DropNotices}). Any thread. */
  long takeDropped(TopicFilter subscription) {
    return drops.takeDropped(subscription);
  }

  /** Entries waiting to be sent, held ones included: what the session's queue limit counts. */
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
      for (Iterator<OutboundLane> it = lanes.values().iterator(); it.hasNext(); ) {
        OutboundLane lane = it.next();
        if (lane.isEmpty()) {
          it.remove();
          spare = lane;
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
        if (lane.replaying()) {
          if (lane.replayDone()) {
            left += endReplay(lane);
            progress = true;
          } else if (sendReplayHead(link, lane, window)) {
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
        if (!mayTake(entry, window)) {
          continue;
        }
        lane.waiting.pollFirst();
        waitingCount--;
        left++;
        take(link, lane, entry, now);
        progress = true;
      }
    }
    return left;
  }

  /** Ends a lane's replay: its held entries wait, but for the replay's duplicates. Returns how many were dropped. */
  private int endReplay(OutboundLane lane) {
    List<OutboundEntry> duplicates = lane.endReplay(seams::isDuplicate);
    for (OutboundEntry duplicate : duplicates) {
      forget(duplicate);
    }
    waitingCount -= duplicates.size();
    return duplicates.size();
  }

  /** Sends the next history message of a replaying lane, if the window allows; false if it did not. */
  private boolean sendReplayHead(ClientLink link, OutboundLane lane, int window) {
    OutboundEntry entry = lane.replayHead(sequences, generation);
    long now = clock.nowMillis();
    if (entry != null && entry.message.isExpired(now)) {
      lane.replayHeadTaken(); // [MQTT-3.3.2-5] expired in the history: never sent, as a live one would not be
      stats.onDropped(DropReason.EXPIRED);
      return true;
    }
    if (entry == null || !mayTake(entry, window)) {
      return false; // not read yet, or the window is full
    }
    lane.replayHeadTaken();
    take(link, lane, entry, now);
    return true;
  }

  /** Whether the window and the packet identifiers allow sending {@code entry} now. */
  private boolean mayTake(OutboundEntry entry, int window) {
    return entry.qos == 0 || inflightCounted < window && !inflight.containsKey(entry.packetId());
  }

  /** Sends {@code entry}, in flight until acknowledged at QoS 1/2. */
  private void take(ClientLink link, OutboundLane lane, OutboundEntry entry, long now) {
    if (entry.qos > 0) {
      inflight.put(entry.packetId(), entry);
      count(entry);
    }
    if (!send(link, entry, now)) {
      discard(lane, entry);
    }
  }

  /**
   * After a reconnect: queues every in-flight message to be resent, in the order first sent, on its lane ahead of
   * the waiting ones: PUBLISH with DUP, or PUBREL for released QoS 2 ones (MQTT 5.0 §4.4). They count against the
   * new connection's window only once resent, when their subscription can take them.
   */
  void prepareResend() {
    for (OutboundLane lane : lanes.values()) {
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
    entry.acknowledged();
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
    OutboundLane lane = lanes.remove(subscription);
    if (lane != null) {
      for (OutboundEntry entry : lane.queued()) {
        forget(entry);
        waitingDropped++;
      }
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
    drops.forget(subscription);
    seams.forget(subscription);
    return waitingDropped;
  }

  /** Drops everything (session end or clean start); the store is cleared by the caller. */
  void clear() {
    lanes.clear();
    inflight.clear();
    drops.clear();
    seams.clear();
    abandoned.clear();
    waitingCount = 0;
    inflightCounted = 0;
  }

  /** The in-flight messages in send order, then the waiting ones lane by lane; for tests and the admin API. */
  Iterator<OutboundEntry> entries() {
    List<OutboundEntry> all = new ArrayList<>(inflight.values());
    for (OutboundLane lane : lanes.values()) {
      lane.queued().forEach(all::add);
    }
    return all.iterator();
  }

  Map<Integer, OutboundEntry> inflightView() {
    return Collections.unmodifiableMap(inflight);
  }

  private void enqueue(OutboundEntry entry) {
    drops.attachCarried(entry);
    lane(entry.subscription).add(entry);
    waitingCount++;
  }

  private void carry(OutboundLane lane, long count) {
    drops.carry(lane, count);
  }

  /**
   * The client cannot take {@code entry} (too large): it is never sent and counts as delivered [MQTT-3.1.2-25],
   * reported as dropped with the lane's next message.
   */
  private void discard(OutboundLane lane, OutboundEntry entry) {
    if (entry.qos > 0 && inflight.get(entry.packetId()) == entry) {
      complete(entry);
    } else {
      forget(entry);
    }
    stats.onDropped(DropReason.TOO_LARGE);
    carry(lane, entry.droppedBefore + 1);
  }

  private OutboundLane lane(TopicFilter subscription) {
    OutboundLane lane = lanes.get(subscription);
    if (lane == null) {
      lane = spare == null ? new OutboundLane(subscription) : spare.reuseFor(subscription);
      spare = null;
      lanes.put(subscription, lane);
    }
    return lane;
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
    forget(entry, false);
  }

  /** As {@link #forget(OutboundEntry)}, but the stored copy stays if {@code keepStored}: it went on with the state. */
  void forget(OutboundEntry entry, boolean keepStored) {
    if (entry.stored && !keepStored) {
      store.dequeue(clientId, entry.sequence);
    }
  }

  private void resend(ClientLink link, OutboundLane lane, OutboundEntry entry) {
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
}
