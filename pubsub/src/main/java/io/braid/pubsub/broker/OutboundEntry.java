package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.topic.TopicFilter;
import java.util.List;

/** One message on its way to one session: waiting, or in flight. Confined to the session's executor. */
final class OutboundEntry {
  final long sequence;
  /** The subscription it travels for: its lane in {@link OutboundFlow}. */
  final TopicFilter subscription;
  final ApplicationMessage message;
  final int qos;
  final boolean retain;
  final List<Integer> subscriptionIdentifiers;
  /** Whether it is in the store (QoS 1/2 for a persistent session), so acknowledging it must dequeue it there. */
  final boolean stored;
  /** Sent at least once: a resend carries DUP [MQTT-3.3.1-1]. */
  boolean sent;
  /** QoS 2: PUBREC received and PUBREL sent; the PUBLISH is never sent again, only the PUBREL. */
  boolean released;
  /**
   * QoS 2, released: the record of it is durable, so PUBREL may go out. Until then a restart would resend the PUBLISH,
   * which after a PUBREL the client would take for a new message ([MQTT-4.3.3-5] forbids it).
   */
  boolean releaseDurable = true;
  /** In flight and sent (or resent) on the current connection: it counts against the window. */
  boolean counted;
  /** The session's generation when it was offered ({@link Session}'s clean starts increment it). */
  int generation;
  /**
   * Messages of the same subscription dropped right before this one (queue full, or too large for the client):
   * reported with it, so that the subscriber knows where the gap lies. Set by the publisher before the entry is
   * handed to the executor; then confined to it.
   */
  long droppedBefore;
  /** The stored copies of its message that its acknowledgement counts down; null if none counts. Set as above. */
  private StoredCopies copies;

  OutboundEntry(long sequence, TopicFilter subscription, ApplicationMessage message, int qos, boolean retain,
      List<Integer> subscriptionIdentifiers, boolean stored) {
    this.sequence = sequence;
    this.subscription = subscription;
    this.message = message;
    this.qos = qos;
    this.retain = retain;
    this.subscriptionIdentifiers = subscriptionIdentifiers;
    this.stored = stored;
  }

  /** An entry recovered from the store: resent with DUP only if it was recorded as sent before the restart. */
  static OutboundEntry recovered(QueuedMessage queued) {
    OutboundEntry entry = new OutboundEntry(queued.sequence(), queued.subscription(), queued.message(), queued.qos(),
        queued.retain(), queued.subscriptionIdentifiers(), true);
    entry.sent = queued.sent();
    entry.released = queued.released();
    return entry;
  }

  /** Counts this stored entry among {@code copies} (if not null) until it is acknowledged. */
  void countIn(StoredCopies copies) {
    if (copies != null) {
      copies.add();
      this.copies = copies;
    }
  }

  /** Its subscriber acknowledged it: counted down once, and not again on a repeated acknowledgement. */
  void acknowledged() {
    if (copies != null) {
      copies.taken();
      copies = null;
    }
  }

  QueuedMessage toQueued() {
    return new QueuedMessage(sequence, subscription, message, qos, retain, subscriptionIdentifiers, released
        ? QueuedMessage.Progress.RELEASED : sent ? QueuedMessage.Progress.SENT : QueuedMessage.Progress.WAITING);
  }

  int packetId() {
    return qos == 0 ? 0 : QueuedMessage.packetIdOf(sequence);
  }
}
