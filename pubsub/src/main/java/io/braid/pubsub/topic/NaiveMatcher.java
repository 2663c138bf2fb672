package io.braid.pubsub.topic;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference matcher: a list of (filter, subscriber) pairs, each filter matched against each topic by splitting
 * both strings. Deliberately simple and slow (cost grows with the number of subscriptions); it exists to check
 * {@link TopicTree} and as the baseline in benchmarks. Same identity rules as {@link TopicTree}: one entry per
 * (matching filter, subscriber).
 *
 * <p>Thread safe: every method synchronizes on this matcher.
 *
 * @param <S> the subscriber type; needs {@code equals}
 */
public final class NaiveMatcher<S> {

  private record Entry<S>(String filter, S subscriber) {
  }

  private final List<Entry<S>> entries = new ArrayList<>();

  /** Adds the pair; false if already present. */
  public synchronized boolean subscribe(TopicFilter filter, S subscriber) {
    Entry<S> entry = new Entry<>(filter.matchingFilter(), subscriber);
    if (entries.contains(entry)) {
      return false;
    }
    return entries.add(entry);
  }

  /** Removes the pair; false if absent. */
  public synchronized boolean unsubscribe(TopicFilter filter, S subscriber) {
    return entries.remove(new Entry<>(filter.matchingFilter(), subscriber));
  }

  /** The subscribers of every pair whose filter matches, once per pair, in subscription order. */
  public synchronized List<S> match(TopicName topicName) {
    List<S> matches = new ArrayList<>();
    for (Entry<S> entry : entries) {
      if (matches(entry.filter(), topicName.asString())) {
        matches.add(entry.subscriber());
      }
    }
    return matches;
  }

  /** The number of pairs held. */
  public synchronized int subscriptionCount() {
    return entries.size();
  }

  /** MQTT 5.0 §4.7 matching of one (valid, non-shared) filter against one (valid) topic name. */
  static boolean matches(String filter, String topicName) {
    String[] filterLevels = filter.split("/", -1);
    String[] topicLevels = topicName.split("/", -1);
    boolean leadingWildcard = filterLevels[0].equals("+") || filterLevels[0].equals("#");
    if (topicName.startsWith("$") && leadingWildcard) {
      return false; // [MQTT-4.7.2-1]
    }
    for (int i = 0; i < filterLevels.length; i++) {
      if (filterLevels[i].equals("#")) {
        return true; // the rest, including nothing: "sport/#" matches "sport"
      }
      if (i >= topicLevels.length) {
        return false;
      }
      if (!filterLevels[i].equals("+") && !filterLevels[i].equals(topicLevels[i])) {
        return false;
      }
    }
    return filterLevels.length == topicLevels.length;
  }
}
