package io.braid.pubsub.history;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.BrokerClock;
import io.braid.pubsub.store.BrokerStore;
import io.braid.pubsub.store.StoredHistory;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The histories of every topic that keeps one ({@link HistoryRule}): offsets for the messages published to them, and
 * what a subscription that starts in the past gets. Backed by the broker's store; restored at start-up.
 *
 * <p>Thread safe. The publish path takes only the lock of the topic published to; a topic without history costs a
 * map lookup once its rule has been decided.
 */
public final class TopicHistories {

  /** Above this many decided topics, the decisions for topics without history are forgotten (they are cheap). */
  private static final int MAX_DECISIONS = 100_000;
  private static final Object NO_HISTORY = new Object();

  private final List<HistoryRule> rules;
  private final BrokerStore store;
  private final BrokerClock clock;
  private final Map<TopicName, TopicLog> logs = new ConcurrentHashMap<>();
  /** Topic -> its log, or {@link #NO_HISTORY}: the rules decided once per topic. */
  private final Map<TopicName, Object> decided = new ConcurrentHashMap<>();

  public TopicHistories(List<HistoryRule> rules, BrokerStore store, BrokerClock clock) {
    this.rules = List.copyOf(rules);
    this.store = store;
    this.clock = clock;
  }

  /**
   * Takes the histories loaded from the store at start-up: those no rule covers any more are deleted (a rule added
   * again later starts a new epoch); the others go on under their current rule, with their epoch and offsets.
   */
  public void restore(List<StoredHistory> stored) {
    for (StoredHistory history : stored) {
      HistoryRule rule = ruleFor(history.topic());
      if (rule == null) {
        store.deleteHistory(history.topic());
      } else {
        TopicLog log = TopicLog.restore(rule, store, history);
        logs.put(history.topic(), log);
        decided.put(history.topic(), log);
      }
    }
  }

  /** Whether any topic keeps a history. */
  public boolean isEnabled() {
    return !rules.isEmpty();
  }

  /**
   * Gives {@code message} (accepted: with its id and time) its position in its topic's history, keeps it there, and
   * then has {@code route} route the positioned message, both under the topic's log lock: with several publishers on
   * one topic, subscribers get its messages in offset order, and a subscriber that resumes after the last offset it
   * saw misses none. For a topic without a history, just {@code route}. Call in the publisher's order.
   */
  public <R> R appendAndRoute(ApplicationMessage message, Function<ApplicationMessage, R> route) {
    TopicLog log = rules.isEmpty() ? null : logFor(message.topic());
    if (log == null) {
      return route.apply(message);
    }
    synchronized (log) {
      return route.apply(log.append(message, clock.nowMillis()));
    }
  }

  /**
   * What a subscription to {@code filter} starting at {@code start} gets: the messages of every matching topic with
   * history, oldest first (by broker order across topics), what it is told, and per topic the newest offset read.
   * A start {@link StartFrom.After} applies to a filter that names one topic; the caller refuses it for others.
   */
  public Replay replay(TopicFilter filter, StartFrom start) {
    if (start instanceof StartFrom.Now) {
      return new Replay(List.of(), null, Map.of());
    }
    long now = clock.nowMillis();
    if (filter.isTopicName()) {
      TopicName topic = TopicName.parse(filter.matchingFilter());
      if (ruleFor(topic) == null) {
        return new Replay(List.of(), Recovery.unavailable(), Map.of());
      }
      TopicLog log = logs.get(topic);
      if (log == null) {
        // nothing published there yet: no history is made for a reader (readers must not fill the store with
        // empty histories); a position of another epoch belonged to a history that is gone
        Recovery recovery = start instanceof StartFrom.After ? Recovery.gap(0, 0, Recovery.GapReason.EPOCH_CHANGED,
            null) : Recovery.complete(null);
        return new Replay(List.of(), recovery, Map.of(topic, 0L));
      }
      TopicLog.Replay read = log.read(start, now);
      return new Replay(read.messages(), read.recovery(), Map.of(topic, read.upTo()));
    }
    List<ApplicationMessage> all = new ArrayList<>();
    Map<TopicName, Long> upTo = new HashMap<>();
    Recovery recovery = null;
    for (TopicLog log : logs.values()) {
      if (!filter.matches(log.topic())) {
        continue;
      }
      TopicLog.Replay read = log.read(start, now);
      all.addAll(read.messages());
      upTo.put(log.topic(), read.upTo());
      if (recovery == null || read.recovery().status() == Recovery.Status.GAP) {
        recovery = read.recovery();
      }
    }
    if (recovery == null) {
      return new Replay(List.of(), Recovery.unavailable(), Map.of());
    }
    all.sort(Comparator.comparingLong(ApplicationMessage::id));
    if (start instanceof StartFrom.Last last && all.size() > last.count()) {
      all = all.subList(all.size() - last.count(), all.size());
    }
    // several topics: no one position or offset range describes them
    Recovery merged = recovery.status() == Recovery.Status.GAP ? Recovery.gap(0, 0, recovery.reason(), null)
        : Recovery.complete(null);
    return new Replay(List.copyOf(all), merged, upTo);
  }

  /** The broker stops cleanly: each history records its next offset exactly, so none is taken for lost. */
  public void closeCleanly() {
    for (TopicLog log : logs.values()) {
      log.closeCleanly();
    }
  }

  /** Topics with a history. */
  public int topicCount() {
    return logs.size();
  }

  /** Messages kept in all histories. O(topics). */
  public long messageCount() {
    long total = 0;
    for (TopicLog log : logs.values()) {
      total += log.size();
    }
    return total;
  }

  private TopicLog logFor(TopicName topic) {
    Object known = decided.get(topic);
    if (known != null) {
      return known == NO_HISTORY ? null : (TopicLog) known;
    }
    HistoryRule rule = ruleFor(topic);
    if (rule == null) {
      if (decided.size() > MAX_DECISIONS) {
        decided.values().removeIf(value -> value == NO_HISTORY);
      }
      decided.put(topic, NO_HISTORY);
      return null;
    }
    TopicLog log = logs.computeIfAbsent(topic, name -> TopicLog.create(name, rule, store, newEpoch()));
    decided.put(topic, log);
    return log;
  }

  /** Whether {@code topic} keeps a history. */
  public boolean keeps(TopicName topic) {
    return !rules.isEmpty() && ruleFor(topic) != null;
  }

  private HistoryRule ruleFor(TopicName topic) {
    for (HistoryRule rule : rules) {
      if (rule.filter().matches(topic)) {
        return rule;
      }
    }
    return null;
  }

  private static String newEpoch() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE); // always 16 digits
  }

  /**
   * What a new subscription gets from history.
   *
   * @param messages oldest first
   * @param recovery what the subscriber is told; null when it asked for no history
   * @param upTo per topic read, the newest offset handed out at that moment: a live delivery at or below it is a
   *     duplicate of the replay (or older than it asked for)
   */
  public record Replay(List<ApplicationMessage> messages, Recovery recovery, Map<TopicName, Long> upTo) {
  }
}
