package io.braid.pubsub.broker;

import io.braid.pubsub.message.BrokerClock;
import io.braid.pubsub.store.BrokerStore;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker-to-subscriber half of the QoS protocol for one session (MQTT 5.0 §4.3, §4.4, §4.9): the queue of
 * messages waiting to be sent, the in-flight window keyed by packet identifier, acknowledgements, and resending in
 * the original order after a reconnect.
 *
 * <p>A message leaves the queue only in order, so a publisher's messages reach the subscriber in the order they
 * were queued, also across redelivery (MQTT 5.0 §4.6). A QoS 1/2 message is sent only while fewer than the window
 * are in flight, and only if its packet identifier (fixed by its sequence number) is free: if a very old message
 * is still unacknowledged 65,535 sequence numbers later, the flow waits rather than reuse its identifier.
 *
 * <p>Confined to the session's executor.
 */
final class OutboundFlow {

  private final String clientId;
  private final BrokerStore store;
  private final BrokerStats stats;
  private final BrokerClock clock;
  private final ArrayDeque<OutboundEntry> waiting = new ArrayDeque<>();
  /** Packet identifier -> message, in the order first sent. */
  private final LinkedHashMap<Integer, OutboundEntry> inflight = new LinkedHashMap<>();

  OutboundFlow(String clientId, BrokerStore store, BrokerStats stats, BrokerClock clock) {
    this.clientId = clientId;
    this.store = store;
    this.stats = stats;
    this.clock = clock;
  }

  /** Queues an entry at the back. */
  void add(OutboundEntry entry) {
    waiting.addLast(entry);
  }

  /** Restores an entry recovered from the store: released ones resume in flight, the rest wait. */
  void restore(OutboundEntry entry) {
    if (entry.released) {
      inflight.put(entry.packetId(), entry);
    } else {
      waiting.addLast(entry);
    }
  }

  /** Removes the oldest waiting entry (overflow policy drop-oldest); returns it or null. */
  OutboundEntry dropOldest() {
    OutboundEntry oldest = waiting.pollFirst();
    if (oldest != null) {
      forget(oldest);
    }
    return oldest;
  }

  int waitingCount() {
    return waiting.size();
  }

  int inflightCount() {
    return inflight.size();
  }

  /**
   * Sends waiting entries while {@code link} is writable and the window has room, dropping expired ones; returns how
   * many waiting entries left the queue (sent, or dropped as expired).
   */
  int pump(ClientLink link, int window) {
    int left = 0;
    while (!waiting.isEmpty()) {
      OutboundEntry entry = waiting.peekFirst();
      long now = clock.nowMillis();
      if (entry.message.isExpired(now)) {
        waiting.pollFirst();
        forget(entry);
        stats.onDropped(DropReason.EXPIRED);
        left++;
        continue;
      }
      if (entry.qos > 0 && (inflight.size() >= window || inflight.containsKey(entry.packetId()))) {
        break;
      }
      if (!link.writable()) {
        break;
      }
      waiting.pollFirst();
      left++;
      if (entry.qos > 0) {
        inflight.put(entry.packetId(), entry);
      }
      send(link, entry, now);
    }
    return left;
  }

  /**
   * After a reconnect: resends every in-flight message in the order first sent, PUBLISH with DUP or PUBREL for
   * released QoS 2 ones (MQTT 5.0 §4.4). Entries beyond a smaller new {@code window} go back to the front of the
   * queue, to be sent as the window opens.
   */
  void resendInflight(ClientLink link, int window) {
    if (inflight.size() > window) {
      OutboundEntry[] entries = inflight.values().toArray(new OutboundEntry[0]);
      for (int i = entries.length - 1; i >= window; i--) {
        if (!entries[i].released) {
          inflight.remove(entries[i].packetId());
          waiting.addFirst(entries[i]);
        }
      }
    }
    long now = clock.nowMillis();
    for (OutboundEntry entry : inflight.values()) {
      stats.onRedelivered();
      if (entry.released) {
        link.sendPubRel(entry.packetId());
      } else {
        send(link, entry, now);
      }
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

  /**
   * PUBREC: a QoS 2 message was received; answers with PUBREL, also for a repeated PUBREC. A failure reason code
   * ends the exchange instead (MQTT 5.0 §4.3.3). Returns false for an unknown identifier or a QoS 1 one.
   */
  boolean onPubRec(int packetId, boolean failure, ClientLink link) {
    OutboundEntry entry = inflight.get(packetId);
    if (entry == null || entry.qos != 2) {
      return false;
    }
    if (failure && !entry.released) {
      complete(entry);
      return true;
    }
    if (!entry.released) {
      entry.released = true;
      if (entry.stored) {
        store.markReleased(clientId, entry.sequence);
      }
    }
    if (link != null) {
      link.sendPubRel(packetId);
    }
    return true;
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

  /** Drops everything (session end or clean start); the store is cleared by the caller. */
  void clear() {
    waiting.clear();
    inflight.clear();
  }

  /** The in-flight messages in send order, then the waiting ones; for tests and the admin API. */
  Iterator<OutboundEntry> entries() {
    ArrayDeque<OutboundEntry> all = new ArrayDeque<>(inflight.values());
    all.addAll(waiting);
    return all.iterator();
  }

  Map<Integer, OutboundEntry> inflightView() {
    return java.util.Collections.unmodifiableMap(inflight);
  }

  private void complete(OutboundEntry entry) {
    inflight.remove(entry.packetId());
    forget(entry);
  }

  private void forget(OutboundEntry entry) {
    if (entry.stored) {
      store.dequeue(clientId, entry.sequence);
    }
  }

  private void send(ClientLink link, OutboundEntry entry, long now) {
    boolean dup = entry.sent && entry.qos > 0;
    entry.sent = true;
    stats.onDelivered(entry.qos);
    link.sendPublish(new OutboundPublish(entry.message, entry.qos, entry.packetId(), dup, entry.retain,
        entry.subscriptionIdentifiers, entry.message.remainingExpiryInterval(now)));
  }
}
