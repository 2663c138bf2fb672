package io.braid.pubsub.broker;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The retained message of each topic (MQTT 5.0 §3.3.1.3), in a trie of topic levels so that a subscription's filter
 * finds its retained messages by walking only the branches it can match.
 *
 * <p><b>Threading:</b> {@link #match} takes no lock. Writers lock one of {@link #STRIPES} stripes chosen by the
 * topic's first level: a retained publish on one topic never waits for one on an unrelated top-level branch, and
 * pruning an emptied branch, which never crosses its top-level node, stays simple. A change's write to the store
 * runs under the same lock, so that the store keeps what memory keeps when two threads change one topic.
 */
final class RetainedMessages {

  static final int STRIPES = 64;
  private static final Runnable NOTHING = () -> { };

  private final Node root = new Node();
  private final Object[] stripes = new Object[STRIPES];
  private final AtomicInteger size = new AtomicInteger();

  RetainedMessages() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
  }

  /** Stores {@code message} as its topic's retained message, replacing the previous one. */
  void put(ApplicationMessage message) {
    put(message, NOTHING);
  }

  /** As {@link #put(ApplicationMessage)}; {@code persist} runs under the same lock as the change. */
  void put(ApplicationMessage message, Runnable persist) {
    change(message.topic(), held -> true, message, persist);
  }

  /**
   * Stores {@code message} unless its topic holds one accepted later (by time of acceptance), checked and changed
   * under one lock; {@code persist} runs under it too, and only if {@code message} was stored.
   */
  boolean putUnlessNewerHeld(ApplicationMessage message, Runnable persist) {
    return change(message.topic(), held -> held == null || held.createdAtMillis() <= message.createdAtMillis(),
        message, persist);
  }

  /**
   * Removes the retained message of {@code clear}'s topic unless it was accepted later than {@code clear} (an empty
   * retained message), checked and changed under one lock with {@code persist}, which runs only on a removal.
   */
  boolean removeUnlessNewerHeld(ApplicationMessage clear, Runnable persist) {
    return change(clear.topic(), held -> held != null && held.createdAtMillis() <= clear.createdAtMillis(), null,
        persist);
  }

  /** Removes the retained message of {@code topic}; returns false if it had none. */
  boolean remove(TopicName topic) {
    return remove(topic, NOTHING);
  }

  /** As {@link #remove(TopicName)}; {@code persist} runs under the same lock, and only if a message was removed. */
  boolean remove(TopicName topic, Runnable persist) {
    return change(topic, Objects::nonNull, null, persist);
  }

  /**
   * Removes {@code message} if it is still its topic's retained message (an expired one), not one that replaced it
   * meanwhile; {@code persist} runs under the same lock, and only if it was removed.
   */
  boolean removeIfHeld(ApplicationMessage message, Runnable persist) {
    return change(message.topic(), held -> held == message, null, persist);
  }

  /**
   * Replaces the message of {@code topic} with {@code next} (null: none) if {@code when} accepts the one held (null:
   * none). Under the topic's stripe lock, with {@code persist}: the store sees one topic's changes in the order that
   * memory does, whichever threads make them.
   */
  private boolean change(TopicName topic, Predicate<ApplicationMessage> when, ApplicationMessage next,
      Runnable persist) {
    List<String> levels = topic.levels();
    synchronized (stripe(levels)) {
      Node[] path = path(levels, next != null);
      Node node = path == null ? null : path[levels.size()];
      ApplicationMessage held = node == null ? null : node.message;
      if (!when.test(held)) {
        return false;
      }
      if (next != null) {
        node.message = next;
        if (held == null) {
          size.incrementAndGet();
        }
      } else {
        node.message = null;
        size.decrementAndGet();
        for (int i = levels.size(); i > 0 && path[i].isEmpty(); i--) {
          path[i - 1].children.remove(levels.get(i - 1), path[i]);
        }
      }
      persist.run();
      return true;
    }
  }

  /** The nodes from the root to {@code levels}' node, made where missing if {@code create}; else null if missing. */
  private Node[] path(List<String> levels, boolean create) {
    Node[] path = new Node[levels.size() + 1];
    path[0] = root;
    for (int i = 0; i < levels.size(); i++) {
      path[i + 1] = create ? path[i].children.computeIfAbsent(levels.get(i), key -> new Node())
          : path[i].children.get(levels.get(i));
      if (path[i + 1] == null) {
        return null;
      }
    }
    return path;
  }

  /** The retained messages whose topics match {@code filter} (its matching part, for a shared filter). */
  List<ApplicationMessage> match(TopicFilter filter) {
    List<ApplicationMessage> matches = new ArrayList<>();
    collect(root, filter.levels(), 0, matches);
    return matches;
  }

  /** Every retained message. */
  List<ApplicationMessage> all() {
    List<ApplicationMessage> all = new ArrayList<>();
    collectAll(root, all);
    return all;
  }

  /** How many topics hold a retained message. */
  int size() {
    return size.get();
  }

  private void collect(Node node, List<String> filter, int index, List<ApplicationMessage> out) {
    if (index == filter.size()) {
      addIfPresent(node, out);
      return;
    }
    String level = filter.get(index);
    if (level.equals("#")) {
      addIfPresent(node, out); // "sport/#" also matches "sport"
      node.children.forEach((child, next) -> {
        if (wildcardMayMatch(index, child)) {
          collectAll(next, out);
        }
      });
    } else if (level.equals("+")) {
      node.children.forEach((child, next) -> {
        if (wildcardMayMatch(index, child)) {
          collect(next, filter, index + 1, out);
        }
      });
    } else {
      Node next = node.children.get(level);
      if (next != null) {
        collect(next, filter, index + 1, out);
      }
    }
  }

  private static void collectAll(Node node, List<ApplicationMessage> out) {
    addIfPresent(node, out);
    node.children.values().forEach(child -> collectAll(child, out));
  }

  private static void addIfPresent(Node node, List<ApplicationMessage> out) {
    ApplicationMessage message = node.message;
    if (message != null) {
      out.add(message);
    }
  }

  /** [MQTT-4.7.2-1] a filter starting with a wildcard does not match topic names beginning with '$'. */
  private static boolean wildcardMayMatch(int index, String level) {
    return index > 0 || !level.startsWith("$");
  }

  private Object stripe(List<String> levels) {
    return stripes[Math.floorMod(levels.get(0).hashCode(), STRIPES)];
  }

  private static final class Node {
    final Map<String, Node> children = new ConcurrentHashMap<>(2);
    volatile ApplicationMessage message;

    boolean isEmpty() {
      return message == null && children.isEmpty();
    }
  }
}
