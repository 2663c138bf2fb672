package io.braid.pubsub.topic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The subscription index: a trie with one node per filter level, so that matching a topic name costs in proportion
 * to the topic's depth and the number of matches, never to the number of subscriptions.
 *
 * <p>Each node holds its exact-level children (keyed by the level string), at most one {@code +} child, the
 * subscribers of the filters that end at the node, and those of the filters that end with {@code /#} below it
 * ({@code #} is always the last level, so it needs no node of its own). Matching {@code a/b} visits, per level,
 * the exact child and the {@code +} child, and collects the {@code #} subscribers on the way, which is also how
 * {@code sport/#} matches {@code sport}. Filters starting with a wildcard do not match topic names starting with
 * {@code $} [MQTT-4.7.2-1].
 *
 * <p>A subscriber is identified by {@link Object#equals}: subscribing the same subscriber with the same matching
 * filter twice stores it once. The tree does not interpret share groups: a shared subscription
 * {@code $share/{group}/{filter}} is indexed under its {@linkplain TopicFilter#matchingFilter() matching filter},
 * so give each (group, member) pair its own subscriber value and pick one member per group among the matches.
 * A subscriber with several overlapping filters is reported once per matching filter.
 *
 * <p><b>Threading:</b> any number of threads may {@linkplain #match match} concurrently with each other and with
 * writers, without taking a lock: children live in lazily created {@link ConcurrentHashMap}s, and subscriber arrays
 * and the {@code +} child are immutable values swapped through volatile fields (copy on write). A match sees each
 * node as it was at some moment during the call: a subscription present during the whole call is always reported,
 * one added or removed during the call may or may not be. {@linkplain #subscribe Writers} are serialized on one
 * lock, which keeps node creation and the pruning of empty nodes on {@linkplain #unsubscribe unsubscribe} simple;
 * they never block readers.
 *
 * @param <S> the subscriber type; needs {@code equals}/{@code hashCode}
 */
public final class TopicTree<S> {

  private static final Object[] NO_SUBSCRIBERS = new Object[0];
  private static final String SINGLE_LEVEL_WILDCARD = "+";
  private static final String MULTI_LEVEL_WILDCARD = "#";

  private final Object writeLock = new Object();
  private final Node root = new Node(null, "");
  private volatile int subscriptionCount;

  /**
   * Adds {@code subscriber} for {@code filter}; returns false if it was already subscribed with the same matching
   * filter. Takes the writer lock.
   */
  public boolean subscribe(TopicFilter filter, S subscriber) {
    if (subscriber == null) {
      throw new NullPointerException("subscriber");
    }
    synchronized (writeLock) {
      Node node = root;
      int last = filter.levelCount() - 1;
      for (int i = 0; i <= last; i++) {
        String level = filter.level(i);
        if (i == last && level.equals(MULTI_LEVEL_WILDCARD)) {
          Object[] grown = with(node.multiLevelSubscribers, subscriber);
          return grown != null && publish(node, grown, true);
        }
        node = node.childOrCreate(level);
      }
      Object[] grown = with(node.subscribers, subscriber);
      return grown != null && publish(node, grown, false);
    }
  }

  /**
   * Removes {@code subscriber} for {@code filter} and prunes the nodes left empty; returns false if it was not
   * subscribed with that matching filter. Takes the writer lock.
   */
  public boolean unsubscribe(TopicFilter filter, S subscriber) {
    synchronized (writeLock) {
      Node node = root;
      int last = filter.levelCount() - 1;
      boolean multiLevel = filter.level(last).equals(MULTI_LEVEL_WILDCARD);
      int depth = multiLevel ? last : last + 1;
      for (int i = 0; i < depth && node != null; i++) {
        node = node.child(filter.level(i));
      }
      if (node == null) {
        return false;
      }
      Object[] current = multiLevel ? node.multiLevelSubscribers : node.subscribers;
      Object[] shrunk = without(current, subscriber);
      if (shrunk == null) {
        return false;
      }
      if (multiLevel) {
        node.multiLevelSubscribers = shrunk;
      } else {
        node.subscribers = shrunk;
      }
      subscriptionCount--;
      prune(node);
      return true;
    }
  }

  /**
   * Calls {@code consumer} once per (matching filter, subscriber) whose filter matches {@code topicName}, on the
   * calling thread, without locking. The consumer must not block; it may call {@link #subscribe}/{@link #unsubscribe}.
   */
  public void match(TopicName topicName, Consumer<? super S> consumer) {
    matchLevel(root, topicName, 0, topicName.isDollarTopic(), consumer);
  }

  /** {@link #match(TopicName, Consumer)} into a new list. */
  public List<S> match(TopicName topicName) {
    List<S> matches = new ArrayList<>();
    match(topicName, matches::add);
    return matches;
  }

  /** The number of (matching filter, subscriber) pairs held. */
  public int subscriptionCount() {
    return subscriptionCount;
  }

  /** True when no subscription is held (and, since empty nodes are pruned, the trie is only its root). */
  public boolean isEmpty() {
    return subscriptionCount == 0;
  }

  /** The number of trie nodes including the root; for tests of pruning. Not a snapshot under concurrent writes. */
  int nodeCount() {
    return root.countNodes();
  }

  private void matchLevel(Node node, TopicName topicName, int index, boolean dollarTopic, Consumer<? super S> consumer) {
    // [MQTT-4.7.2-1] filters starting with a wildcard character MUST NOT match topic names beginning with '$'
    boolean wildcardsMatch = index > 0 || !dollarTopic;
    if (wildcardsMatch) {
      // '#' matches the remaining levels, or none: "sport/#" also matches "sport"
      emit(node.multiLevelSubscribers, consumer);
    }
    if (index == topicName.levelCount()) {
      emit(node.subscribers, consumer);
      return;
    }
    Map<String, Node> children = node.children;
    if (children != null) {
      Node exact = children.get(topicName.level(index));
      if (exact != null) {
        matchLevel(exact, topicName, index + 1, dollarTopic, consumer);
      }
    }
    Node singleLevel = node.singleLevelChild;
    if (singleLevel != null && wildcardsMatch) {
      matchLevel(singleLevel, topicName, index + 1, dollarTopic, consumer);
    }
  }

  @SuppressWarnings("unchecked")
  private void emit(Object[] subscribers, Consumer<? super S> consumer) {
    for (Object subscriber : subscribers) {
      consumer.accept((S) subscriber);
    }
  }

  private boolean publish(Node node, Object[] subscribers, boolean multiLevel) {
    if (multiLevel) {
      node.multiLevelSubscribers = subscribers;
    } else {
      node.subscribers = subscribers;
    }
    subscriptionCount++;
    return true;
  }

  /** Walks up from {@code node}, detaching every node left with no subscriber and no child. Under the writer lock. */
  private void prune(Node node) {
    while (node != root && node.isEmpty()) {
      Node parent = node.parent;
      if (node.level.equals(SINGLE_LEVEL_WILDCARD)) {
        parent.singleLevelChild = null;
      } else {
        ConcurrentHashMap<String, Node> siblings = parent.children;
        siblings.remove(node.level);
        if (siblings.isEmpty()) {
          parent.children = null;
        }
      }
      node = parent;
    }
  }

  /** A copy of {@code subscribers} with {@code subscriber} appended, or null if it is already there. */
  private static Object[] with(Object[] subscribers, Object subscriber) {
    for (Object existing : subscribers) {
      if (existing.equals(subscriber)) {
        return null;
      }
    }
    Object[] grown = Arrays.copyOf(subscribers, subscribers.length + 1);
    grown[subscribers.length] = subscriber;
    return grown;
  }

  /** A copy of {@code subscribers} without {@code subscriber}, or null if it is not there. */
  private static Object[] without(Object[] subscribers, Object subscriber) {
    for (int i = 0; i < subscribers.length; i++) {
      if (subscribers[i].equals(subscriber)) {
        if (subscribers.length == 1) {
          return NO_SUBSCRIBERS;
        }
        Object[] shrunk = new Object[subscribers.length - 1];
        System.arraycopy(subscribers, 0, shrunk, 0, i);
        System.arraycopy(subscribers, i + 1, shrunk, i, subscribers.length - i - 1);
        return shrunk;
      }
    }
    return null;
  }

  /**
   * One level of the trie. Fields are written only under the tree's writer lock and read by matchers without it;
   * every value written is immutable (arrays are replaced, never changed) or itself concurrent.
   */
  private static final class Node {
    final Node parent;
    final String level;
    /** Exact-level children; created lazily, since most nodes are leaves, to save memory. */
    volatile ConcurrentHashMap<String, Node> children;
    volatile Node singleLevelChild;
    /** Subscribers of filters ending at this node. */
    volatile Object[] subscribers = NO_SUBSCRIBERS;
    /** Subscribers of filters ending with this node's level followed by {@code /#}. */
    volatile Object[] multiLevelSubscribers = NO_SUBSCRIBERS;

    Node(Node parent, String level) {
      this.parent = parent;
      this.level = level;
    }

    Node child(String level) {
      if (level.equals(SINGLE_LEVEL_WILDCARD)) {
        return singleLevelChild;
      }
      Map<String, Node> current = children;
      return current == null ? null : current.get(level);
    }

    Node childOrCreate(String level) {
      Node existing = child(level);
      if (existing != null) {
        return existing;
      }
      Node created = new Node(this, level);
      if (level.equals(SINGLE_LEVEL_WILDCARD)) {
        singleLevelChild = created;
      } else {
        ConcurrentHashMap<String, Node> current = children;
        if (current == null) {
          current = new ConcurrentHashMap<>(4);
          children = current;
        }
        current.put(level, created);
      }
      return created;
    }

    boolean isEmpty() {
      Map<String, Node> current = children;
      return subscribers.length == 0 && multiLevelSubscribers.length == 0 && singleLevelChild == null
          && (current == null || current.isEmpty());
    }

    int countNodes() {
      int count = 1;
      Map<String, Node> current = children;
      if (current != null) {
        for (Node child : current.values()) {
          count += child.countNodes();
        }
      }
      Node singleLevel = singleLevelChild;
      return singleLevel == null ? count : count + singleLevel.countNodes();
    }
  }
}
