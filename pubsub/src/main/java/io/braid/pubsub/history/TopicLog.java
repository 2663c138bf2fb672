package io.braid.pubsub.history;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.HistoryPosition;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.StoredHistory;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The history of one topic: its epoch, the next offset, the messages kept (by count and age), and the bookkeeping
 * that lets a reader be told exactly what it missed. Offsets are reserved in the store ahead of use, so that after an
 * unclean stop none is handed out twice; the range that may have been handed out unstored is then known as lost.
 *
 * <p>Thread safe: every method holds the log's own lock (one per topic: publishers to other topics never wait).
 */
final class TopicLog {

  /** Offsets reserved ahead: a topic may take this many between two commits of the store without reuse. */
  static final long RESERVATION = 1L << 16;
  /**
   * Trimmed offsets the store may lag behind the log by: trimming the store one message at a time would double the
   * store's work per publish; a restart trims what it finds beyond the rule again.
   */
  static final long STORE_TRIM_BATCH = 64;

  private final TopicName topic;
  private final HistoryRule rule;
  private final BrokerStore store;
  private final String epoch;
  private final ArrayDeque<ApplicationMessage> messages = new ArrayDeque<>();
  private long nextOffset;
  private long reservedUpTo;
  /** The newest offset trimmed away, 0 if none. */
  private long trimmedUpTo;
  /** The newest offset trimmed from the store (at most {@link #STORE_TRIM_BATCH} behind {@link #trimmedUpTo}). */
  private long storeTrimmedUpTo;
  /** When the newest trimmed message was received; {@link Long#MIN_VALUE} if none. */
  private long trimmedNewestMillis = Long.MIN_VALUE;
  /** Offsets that an unclean stop may have handed out without storing them: [lostFrom, lostTo], or 0 and 0. */
  private long lostFrom;
  private long lostTo;

  private TopicLog(TopicName topic, HistoryRule rule, BrokerStore store, String epoch) {
    this.topic = topic;
    this.rule = rule;
    this.store = store;
    this.epoch = epoch;
  }

  /** A new history, offsets from 1, under a new epoch. */
  static TopicLog create(TopicName topic, HistoryRule rule, BrokerStore store, String epoch) {
    TopicLog log = new TopicLog(topic, rule, store, epoch);
    log.nextOffset = 1;
    log.reserve();
    return log;
  }

  /** The history as stored; after an unclean stop, offsets continue after those reserved, the rest known as lost. */
  static TopicLog restore(HistoryRule rule, BrokerStore store, StoredHistory stored) {
    TopicLog log = new TopicLog(stored.topic(), rule, store, stored.epoch());
    log.messages.addAll(stored.messages());
    long firstStored = stored.messages().isEmpty() ? 0 : stored.messages().get(0).position().offset();
    log.trimmedUpTo = Math.max(stored.trimmedUpTo(), firstStored - 1);
    log.storeTrimmedUpTo = log.trimmedUpTo;
    while (log.messages.size() > rule.maxMessages()) { // the store lagged behind the log's last trims
      log.trimmedUpTo = log.messages.removeFirst().position().offset();
    }
    long last = Math.max(stored.trimmedUpTo(), stored.messages().isEmpty() ? 0
        : stored.messages().get(stored.messages().size() - 1).position().offset());
    log.nextOffset = Math.max(last + 1, stored.reservedUpTo());
    if (!stored.clean() && log.nextOffset > last + 1) {
      log.lostFrom = last + 1;
      log.lostTo = log.nextOffset - 1;
    }
    log.reserve();
    return log;
  }

  TopicName topic() {
    return topic;
  }


  /** Gives {@code message} the next offset and keeps it, trimming what the rule no longer allows. */
  synchronized ApplicationMessage append(ApplicationMessage message, long nowMillis) {
    ApplicationMessage positioned = message.at(new HistoryPosition(epoch, nextOffset++));
    if (nextOffset > reservedUpTo - RESERVATION / 2) {
      reserve();
    }
    messages.addLast(positioned);
    store.appendHistory(positioned);
    trim(nowMillis);
    return positioned;
  }

  /**
   * What a subscription starting at {@code start} gets from this topic: the messages, in offset order, and whether any
   * it asked for are missing. The replay's {@code upTo} is the newest offset handed out so far: a live delivery at or
   * below it is already in the replay, or older than the replay asked for.
   */
  synchronized Replay read(StartFrom start, long nowMillis) {
    trim(nowMillis);
    HistoryPosition latest = nextOffset > 1 ? new HistoryPosition(epoch, nextOffset - 1) : null;
    long upTo = nextOffset - 1;
    if (start instanceof StartFrom.After after) {
      if (!after.epoch().equals(epoch)) {
        // the position's history is gone: this one is read from its start, and what it no longer keeps is reported
        Replay fromStart = readAfter(0, latest, upTo);
        Recovery recovery = fromStart.recovery();
        return new Replay(fromStart.messages(), Recovery.gap(recovery.gapFrom(), recovery.gapTo(),
            Recovery.GapReason.EPOCH_CHANGED, latest), upTo);
      }
      return readAfter(after.offset(), latest, upTo);
    }
    if (start instanceof StartFrom.Last last) {
      List<ApplicationMessage> all = List.copyOf(messages);
      List<ApplicationMessage> tail = all.subList(Math.max(0, all.size() - last.count()), all.size());
      boolean fewer = tail.size() < last.count() && (trimmedUpTo > 0 || lostFrom > 0);
      return new Replay(tail, fewer ? Recovery.gap(0, firstKept() - 1, trimmedUpTo > 0 ? Recovery.GapReason.TRIMMED
          : Recovery.GapReason.LOST, latest) : Recovery.complete(latest), upTo);
    }
    if (start instanceof StartFrom.Since since) {
      List<ApplicationMessage> recent = new ArrayList<>();
      for (ApplicationMessage kept : messages) {
        if (kept.createdAtMillis() >= since.epochMillis()) {
          recent.add(kept);
        }
      }
      // a trimmed message received since then is lost to this reader; its exact offsets are not known
      return new Replay(recent, trimmedNewestMillis >= since.epochMillis()
          ? Recovery.gap(0, firstKept() - 1, Recovery.GapReason.TRIMMED, latest) : Recovery.complete(latest), upTo);
    }
    return new Replay(List.of(), null, upTo);
  }

  /** Every kept message after {@code offset}, and the offsets after it that will not come. */
  private Replay readAfter(long offset, HistoryPosition latest, long upTo) {
    List<ApplicationMessage> after = new ArrayList<>();
    long expected = offset + 1;
    long missingFrom = 0;
    long missingTo = 0;
    for (ApplicationMessage kept : messages) {
      long at = kept.position().offset();
      if (at <= offset) {
        continue;
      }
      if (at > expected) {
        missingFrom = missingFrom == 0 ? expected : missingFrom;
        missingTo = at - 1;
      }
      after.add(kept);
      expected = at + 1;
    }
    if (expected <= upTo) { // nothing kept from here on: trimmed by age, or lost
      missingFrom = missingFrom == 0 ? expected : missingFrom;
      missingTo = upTo;
    }
    if (missingFrom == 0) {
      return new Replay(after, Recovery.complete(latest), upTo);
    }
    Recovery.GapReason reason = missingFrom <= trimmedUpTo ? Recovery.GapReason.TRIMMED : Recovery.GapReason.LOST;
    return new Replay(after, Recovery.gap(missingFrom, missingTo, reason, latest), upTo);
  }

  /** The history is stopping cleanly: the next offset is recorded exactly, so a restart loses none. */
  synchronized void closeCleanly() {
    flushTrim();
    reservedUpTo = nextOffset;
    store.saveHistoryMeta(topic, epoch, reservedUpTo, trimmedUpTo, true);
  }

  synchronized int size() {
    return messages.size();
  }

  private void trim(long nowMillis) {
    boolean trimmed = false;
    long oldestAllowed = rule.maxAgeSeconds() == 0 ? Long.MIN_VALUE : nowMillis - rule.maxAgeSeconds() * 1000;
    for (Iterator<ApplicationMessage> it = messages.iterator(); it.hasNext(); ) {
      ApplicationMessage oldest = it.next();
      if (messages.size() <= rule.maxMessages() && oldest.createdAtMillis() >= oldestAllowed) {
        break;
      }
      it.remove();
      trimmedUpTo = oldest.position().offset();
      trimmedNewestMillis = oldest.createdAtMillis();
      trimmed = true;
    }
    if (trimmed && trimmedUpTo - storeTrimmedUpTo >= STORE_TRIM_BATCH) {
      flushTrim();
    }
  }

  /** Trims the store as far as the log (its first kept offset tells a restart how far the log had trimmed). */
  private void flushTrim() {
    if (trimmedUpTo > storeTrimmedUpTo) {
      store.trimHistory(topic, trimmedUpTo + 1);
      storeTrimmedUpTo = trimmedUpTo;
      if (messages.isEmpty()) { // aged out entirely: only the meta can tell a restart how far
        store.saveHistoryMeta(topic, epoch, reservedUpTo, trimmedUpTo, false);
      }
    }
  }

  private void reserve() {
    reservedUpTo = nextOffset + RESERVATION;
    store.saveHistoryMeta(topic, epoch, reservedUpTo, trimmedUpTo, false);
  }

  private long firstKept() {
    ApplicationMessage first = messages.peekFirst();
    return first == null ? nextOffset : first.position().offset();
  }

  /**
   * What a topic gives a new subscription.
   *
   * @param messages in offset order
   * @param recovery what the subscriber is told, or null when it asked for no history
   * @param upTo the newest offset handed out when the history was read
   */
  record Replay(List<ApplicationMessage> messages, Recovery recovery, long upTo) {
  }
}
