package io.braid.cluster;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routes of nodes that left a short while ago, each served by its heir: the node that kept the departed node's
 * replica and takes its persistent sessions over. Until the heir announces their filters as its own, a publish they
 * match goes to the heir, marked as on behalf of the departed node, so that it waits for the take-over there instead
 * of finding no subscriber. Dropped once the heir has had time to announce ({@link #GRACE_MILLIS}).
 *
 * <p><b>Threading:</b> {@link #heirsFor} from any thread without a lock, as {@link RouteTable#plan}; changes on
 * Hazelcast's event threads and timers.
 */
final class InheritedRoutes {

  /** How long a departed node's routes are kept: its heir announces within milliseconds of the take-over. */
  static final long GRACE_MILLIS = 30_000;
  /**
   * The heir when it is this node: not its identity, which a healed partition changes while the routes are kept (a
   * copy for the old identity went to this node's own link and was delivered here twice).
   */
  static final String HERE = "(this node)";

  private final RouteTable routes = new RouteTable();
  private final Map<String, String> heirs = new ConcurrentHashMap<>();

  /** {@code node} left with {@code filters}; {@code heir} takes its sessions over. */
  void inherit(String node, String heir, Set<TopicFilter> filters) {
    heirs.put(node, heir);
    filters.forEach(filter -> routes.add(new NodeRoute(node, filter)));
  }

  /** Forgets {@code node}'s routes: its heir announced them by now. */
  void expire(String node) {
    routes.removeNode(node);
    heirs.remove(node);
  }

  /**
   * {@code heir} left too: what it inherited goes with it (its own heir inherits its routes, which include those of
   * the sessions it took over).
   */
  void heirLeft(String heir) {
    heirs.entrySet().removeIf(entry -> {
      if (entry.getValue().equals(heir)) {
        routes.removeNode(entry.getKey());
        return true;
      }
      return false;
    });
  }

  boolean isEmpty() {
    return heirs.isEmpty();
  }

  /** Heir -> the departed nodes it serves whose filters match {@code topic}; empty if none do. */
  Map<String, Set<String>> heirsFor(TopicName topic, long spread) {
    Map<String, List<TopicFilter>> matching = routes.plan(topic, List.of(), group -> false, spread).remote();
    if (matching.isEmpty()) {
      return Map.of();
    }
    Map<String, Set<String>> byHeir = new HashMap<>();
    for (String node : matching.keySet()) {
      String heir = heirs.get(node);
      if (heir != null) {
        byHeir.computeIfAbsent(heir, h -> new HashSet<>()).add(node);
      }
    }
    return byHeir;
  }
}
