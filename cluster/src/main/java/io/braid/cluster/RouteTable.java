package io.braid.cluster;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import io.braid.pubsub.topic.TopicTree;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The other nodes' routes: which node has subscribers for which filter. A publish is forwarded only to the nodes
 * whose filters match its topic; a shared group present on several nodes (this one included) is served by one of
 * them per message.
 *
 * <p><b>Threading:</b> {@link #plan} runs on any number of publishing threads without a lock (the routes live on a
 * {@link TopicTree}, read lock-free); the writers ({@link #add}, {@link #remove}, {@link #removeNode}) are serialized
 * on one lock and never block {@link #plan}.
 */
final class RouteTable {

  private final TopicTree<NodeRoute> tree = new TopicTree<>();
  /** Node -> its filters, for dropping a node that left. Under its own monitor. */
  private final Map<String, Set<TopicFilter>> byNode = new HashMap<>();

  /** Adds a route; false if it was there. */
  boolean add(NodeRoute route) {
    synchronized (byNode) {
      if (!byNode.computeIfAbsent(route.node(), node -> new HashSet<>()).add(route.filter())) {
        return false;
      }
      tree.subscribe(route.filter(), route);
      return true;
    }
  }

  /** Removes a route; false if it was not there. */
  boolean remove(NodeRoute route) {
    synchronized (byNode) {
      Set<TopicFilter> filters = byNode.get(route.node());
      if (filters == null || !filters.remove(route.filter())) {
        return false;
      }
      if (filters.isEmpty()) {
        byNode.remove(route.node());
      }
      tree.unsubscribe(route.filter(), route);
      return true;
    }
  }

  /** The filters of {@code node}'s routes. */
  Set<TopicFilter> filtersOf(String node) {
    synchronized (byNode) {
      return Set.copyOf(byNode.getOrDefault(node, Set.of()));
    }
  }

  /** Removes every route of {@code node} (it left the cluster); returns how many there were. */
  int removeNode(String node) {
    synchronized (byNode) {
      Set<TopicFilter> filters = byNode.remove(node);
      if (filters == null) {
        return 0;
      }
      for (TopicFilter filter : filters) {
        tree.unsubscribe(filter, new NodeRoute(node, filter));
      }
      return filters.size();
    }
  }

  /** Removes every route. */
  void clear() {
    synchronized (byNode) {
      for (String node : List.copyOf(byNode.keySet())) {
        removeNode(node);
      }
    }
  }

  /** The number of routes held. Takes the writer lock. */
  int size() {
    synchronized (byNode) {
      return byNode.values().stream().mapToInt(Set::size).sum();
    }
  }

  /**
   * Where a message published to {@code topic} goes beyond this node.
   *
   * @param everyPeer nodes that get the message even without a matching route (a retained message goes to every
   *     node, so that each can serve it to later subscribers); empty for an ordinary message
   * @param hereHasGroup whether this node has members of a shared group (it is then a candidate too)
   * @param spread picks among a shared group's candidate nodes; consecutive values take turns (a message id)
   */
  ForwardPlan plan(TopicName topic, Collection<String> everyPeer, Predicate<TopicFilter> hereHasGroup, long spread) {
    Matches matches = new Matches();
    for (String peer : everyPeer) {
      matches.remote().put(peer, new ArrayList<>(1));
    }
    tree.match(topic, matches);
    if (matches.remote == null && matches.groups == null) {
      return ForwardPlan.LOCAL_ONLY; // the common case allocates nothing more
    }
    Map<String, List<TopicFilter>> remote = matches.remote();
    if (matches.groups == null) {
      return new ForwardPlan(remote, Set.of(), matches.matching == null ? 0 : matches.matching.size());
    }
    Set<TopicFilter> elsewhere = new HashSet<>();
    matches.groups.forEach((group, nodes) -> {
      boolean here = hereHasGroup.test(group);
      int choice = Math.floorMod(spread + group.hashCode(), nodes.size() + (here ? 1 : 0));
      if (choice < nodes.size()) { // the last candidate, if there is one more, is this node
        String node = nodes.get(choice);
        remote.computeIfAbsent(node, any -> new ArrayList<>(1)).add(group);
        matches.matching().add(node);
        elsewhere.add(group);
      }
    });
    return new ForwardPlan(remote, elsewhere, matches.matching().size());
  }

  /** The routes matching one topic, collected as the tree finds them; collections made at the first need. */
  private static final class Matches implements Consumer<NodeRoute> {
    Map<String, List<TopicFilter>> remote;
    Set<String> matching;
    Map<TopicFilter, List<String>> groups;

    Set<String> matching() {
      if (matching == null) {
        matching = new HashSet<>();
      }
      return matching;
    }

    Map<String, List<TopicFilter>> remote() {
      if (remote == null) {
        remote = new LinkedHashMap<>();
      }
      return remote;
    }

    @Override
    public void accept(NodeRoute route) {
      if (route.filter().isShared()) {
        if (groups == null) {
          groups = new LinkedHashMap<>();
        }
        groups.computeIfAbsent(route.filter(), filter -> new ArrayList<>(2)).add(route.node());
      } else {
        remote().computeIfAbsent(route.node(), node -> new ArrayList<>(1));
        matching().add(route.node());
      }
    }
  }
}
