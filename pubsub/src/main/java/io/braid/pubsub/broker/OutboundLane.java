package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The messages of one subscription in {@link OutboundFlow}: in-flight ones to resend after a reconnect, then waiting
 * ones. A subscription that starts in its topics' history also has a replay: the history's messages go first, made
 * into entries one at a time as they are sent (so a replay of any length costs the queue nothing), while live
 * messages arriving meanwhile are held; then the held ones follow, without those the replay already had (which
 * {@link OutboundFlow} recognises, also after the lane is gone).
 *
 * <p>Confined to the session's executor.
 */
final class OutboundLane {

  /** Changed only by {@link #reuseFor} while the lane is empty and out of its flow. */
  TopicFilter subscription;
  final ArrayDeque<OutboundEntry> resend = new ArrayDeque<>();
  final ArrayDeque<OutboundEntry> waiting = new ArrayDeque<>();
  /** Live entries that arrived while the lane replays history; counted as waiting. */
  private final ArrayDeque<OutboundEntry> held = new ArrayDeque<>();
  /** History messages not yet sent, or null when not replaying. */
  private ArrayDeque<ApplicationMessage> replay;
  private SubscriptionOptions replayOptions;
  private OutboundEntry replayHead;
  /** Between {@link #beginReplay()} and the end of the replay: live entries are held. */
  private boolean replaying;

  OutboundLane(TopicFilter subscription) {
    this.subscription = subscription;
  }

  /**
   * This lane, empty, now for {@code subscription}: a flow keeps the lane it last emptied and reuses it, so that a
   * subscription whose messages leave as they come (most) does not allocate a lane and its queues per message.
   */
  OutboundLane reuseFor(TopicFilter subscription) {
    this.subscription = subscription;
    replay = null;
    replayOptions = null;
    replayHead = null;
    return this;
  }

  boolean isEmpty() {
    return resend.isEmpty() && waiting.isEmpty() && held.isEmpty() && !replaying;
  }

  /** The subscription starts in history: until the replay ends, live entries are held behind it. */
  void beginReplay() {
    replaying = true;
    held.addAll(waiting); // queued before the new start: they go after the replay, without its duplicates
    waiting.clear();
  }

  /** The history read for the subscription, just after it was registered: the replay to send first. */
  void replay(List<ApplicationMessage> messages, SubscriptionOptions options) {
    replay = new ArrayDeque<>(messages);
    replayOptions = options;
  }

  /** Whether the lane is replaying history (its next messages come from {@link #replayHead}). */
  boolean replaying() {
    return replaying;
  }

  /**
   * The next history message as an entry (not in the store: a client that loses it asks again from its offset), or
   * null when the replay is over, or has not been read yet.
   */
  OutboundEntry replayHead(LongSupplier sequences, int generation) {
    if (replayHead == null && replay != null && !replay.isEmpty()) {
      ApplicationMessage message = replay.pollFirst();
      List<Integer> ids = replayOptions.hasSubscriptionIdentifier()
          ? List.of(replayOptions.subscriptionIdentifier()) : List.of();
      replayHead = new OutboundEntry(sequences.getAsLong(), subscription, message,
          replayOptions.grantedQos(message.qos()), replayOptions.retainAsPublished() && message.retain(), ids, false);
      replayHead.generation = generation;
    }
    return replayHead;
  }

  /** The replay head was sent or dropped. */
  void replayHeadTaken() {
    replayHead = null;
  }

  /** Whether the replay was read and every message of it has left. */
  boolean replayDone() {
    return replaying && replay != null && replay.isEmpty() && replayHead == null;
  }

  /**
   * Ends the replay: the held entries wait in arrival order, but for those the replay covered, which are returned
   * to be forgotten.
   */
  List<OutboundEntry> endReplay(Predicate<OutboundEntry> isDuplicate) {
    replaying = false;
    replay = null;
    replayOptions = null;
    List<OutboundEntry> duplicates = new java.util.ArrayList<>();
    for (OutboundEntry entry : held) {
      if (isDuplicate.test(entry)) {
        duplicates.add(entry);
      } else {
        waiting.addLast(entry);
      }
    }
    held.clear();
    return duplicates;
  }

  /** Queues a live entry: held while replaying. */
  void add(OutboundEntry entry) {
    (replaying ? held : waiting).addLast(entry);
  }

  /** Every queued entry: waiting, then held. */
  Iterable<OutboundEntry> queued() {
    List<OutboundEntry> all = new java.util.ArrayList<>(waiting);
    all.addAll(held);
    return all;
  }

  /** The oldest queued entry (the waiting head, or while replaying the oldest held), or null. */
  OutboundEntry oldestQueued() {
    OutboundEntry head = waiting.peekFirst();
    return head != null ? head : held.peekFirst();
  }

  /** Removes {@link #oldestQueued()}. */
  OutboundEntry pollOldestQueued() {
    return waiting.isEmpty() ? held.pollFirst() : waiting.pollFirst();
  }

  /** Removes the newest queued entry (the last held one while replaying), or returns null. */
  OutboundEntry pollNewestQueued() {
    return held.isEmpty() ? waiting.pollLast() : held.pollLast();
  }

  /** Entries queued, held ones included. */
  int queuedCount() {
    return waiting.size() + held.size();
  }

  /**
   * Removes the queued entry of {@code newest}'s topic that came before it, if any (conflation: only the latest
   * message of a topic waits). At most one such entry exists, since each newer one replaced it.
   */
  OutboundEntry removeOlderOfTopic(OutboundEntry newest) {
    for (ArrayDeque<OutboundEntry> candidates : List.of(held, waiting)) {
      for (java.util.Iterator<OutboundEntry> it = candidates.descendingIterator(); it.hasNext(); ) {
        OutboundEntry entry = it.next();
        if (entry != newest && entry.message.topic().equals(newest.message.topic())) {
          it.remove();
          return entry;
        }
      }
    }
    return null;
  }
}
