package io.braid.cluster;

import io.braid.pubsub.topic.TopicFilter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where one published message goes beyond this node: the nodes to forward it to, each with the shared groups it
 * serves for this message, and which matching shared groups this node serves itself.
 *
 * @param remote node -> the shared groups (full {@code $share/{group}/{filter}}) it is chosen for; an empty list for
 *     a node that gets the message for its non-shared subscriptions only. In the order the nodes were found.
 * @param groupsElsewhere the matching shared groups that another node was chosen for: this node skips them
 * @param matchingNodes how many of the nodes in {@code remote} have a matching route (the others get a retained
 *     message to keep)
 */
record ForwardPlan(Map<String, List<TopicFilter>> remote, Set<TopicFilter> groupsElsewhere, int matchingNodes) {

  static final ForwardPlan LOCAL_ONLY = new ForwardPlan(Map.of(), Set.of(), 0);

  /** Takes {@code remote} and {@code groupsElsewhere} as they are: {@link RouteTable} makes them for this plan only. */
  ForwardPlan {
    remote = Collections.unmodifiableMap(remote);
    groupsElsewhere = Collections.unmodifiableSet(groupsElsewhere);
  }

  /** Whether this node delivers {@code sharedGroup}'s copy of the message. */
  boolean servesHere(TopicFilter sharedGroup) {
    return !groupsElsewhere.contains(sharedGroup);
  }
}
