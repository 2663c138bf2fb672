package io.braid.pubsub.subscription;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import io.braid.pubsub.topic.TopicTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The subscriptions of all sessions, and the routing of a published message to them (MQTT 5.0 §3.3.4, §4.8).
 *
 * <p>Subscriptions live on a {@link TopicTree}. A non-shared subscription is one tree entry per (session, filter)
 * whose options are swapped in place, so that re-subscribing [MQTT-3.8.4-3] never leaves a moment in which the
 * subscription is absent. A shared subscription group, one per distinct {@code $share/{group}/{filter}} string,
 * is one tree entry holding its members; a message that matches it goes to one member, round robin (§4.8.2).
 *
 * <p>Routing a message:
 * <ul>
 *   <li>a session's overlapping non-shared subscriptions give one {@link Delivery} at the highest granted QoS with
 *       all their subscription identifiers [MQTT-3.3.4-2] [MQTT-3.3.4-3]; retain-as-published is kept if any of the
 *       matching subscriptions asks for it; the copy travels for the subscription that grants that QoS (the first
 *       by filter string among equals), so a topic's messages always travel for the same subscription while the
 *       session's subscriptions stay the same;</li>
 *   <li>a subscription with No Local does not deliver to the publishing session [MQTT-3.8.3-3];</li>
 *   <li>each matching shared group gives one more {@link Delivery}, independent of the session's non-shared ones.</li>
 * </ul>
 *
 * <p><b>Threading:</b> {@link #route} may be called by any number of threads concurrently with each other and with
 * writers, without a lock: it sees the tree and each group's member array as they were at some moment during the
 * call, so a subscription present for the whole call is always routed to. Each group's round robin cursor is an
 * atomic counter. Writers ({@link #subscribe}, {@link #unsubscribe}, {@link #removeSession}) are serialized on one
 * lock, as the tree's writers are; they never block routing.
 */
public final class SubscriptionIndex {

  private final Object writeLock = new Object();
  private final TopicTree<IndexEntry> tree = new TopicTree<>();
  /** Session id -> its filters; the value is the tree entry for the filter. Under {@link #writeLock}. */
  private final Map<String, Map<TopicFilter, IndexEntry>> sessions = new HashMap<>();
  /** Full {@code $share/{group}/{filter}} -> its group. Under {@link #writeLock}. */
  private final Map<TopicFilter, SharedGroup> sharedGroups = new HashMap<>();

  /**
   * Adds {@code subscription}, or replaces the options of the session's subscription with the same filter
   * [MQTT-3.8.4-3]. Returns true if the subscription is new (which retain handling 1 needs), false if it replaced one.
   */
  public boolean subscribe(Subscription subscription) {
    synchronized (writeLock) {
      Map<TopicFilter, IndexEntry> filters = sessions.computeIfAbsent(subscription.clientId(), id -> new HashMap<>());
      IndexEntry existing = filters.get(subscription.filter());
      if (existing != null) {
        existing.replaceOptions(subscription.clientId(), subscription.options());
        return false;
      }
      filters.put(subscription.filter(), subscription.filter().isShared() ? join(subscription) : add(subscription));
      return true;
    }
  }

  /** Removes the session's subscription with {@code filter}; returns false if it had none. */
  public boolean unsubscribe(String clientId, TopicFilter filter) {
    synchronized (writeLock) {
      Map<TopicFilter, IndexEntry> filters = sessions.get(clientId);
      IndexEntry entry = filters == null ? null : filters.remove(filter);
      if (entry == null) {
        return false;
      }
      remove(clientId, filter, entry);
      if (filters.isEmpty()) {
        sessions.remove(clientId);
      }
      return true;
    }
  }

  /** Removes every subscription of the session (session end, clean start); returns how many there were. */
  public int removeSession(String clientId) {
    synchronized (writeLock) {
      Map<TopicFilter, IndexEntry> filters = sessions.remove(clientId);
      if (filters == null) {
        return 0;
      }
      filters.forEach((filter, entry) -> remove(clientId, filter, entry));
      return filters.size();
    }
  }

  /** The session's subscriptions, in no particular order. Takes the writer lock: not for the publish path. */
  public List<Subscription> subscriptions(String clientId) {
    synchronized (writeLock) {
      List<Subscription> result = new ArrayList<>();
      sessions.getOrDefault(clientId, Map.of())
          .forEach((filter, entry) -> result.add(new Subscription(clientId, filter, entry.options(clientId))));
      return result;
    }
  }

  /** The number of subscriptions, a shared group's members each counted. Takes the writer lock. */
  public int subscriptionCount() {
    synchronized (writeLock) {
      int count = 0;
      for (Map<TopicFilter, IndexEntry> filters : sessions.values()) {
        count += filters.size();
      }
      return count;
    }
  }

  /** {@link #route(TopicName, String, int, Predicate)} with every shared group member available. */
  public RouteResult route(TopicName topicName, String publisherClientId, int publishQos) {
    return route(topicName, publisherClientId, publishQos, clientId -> true);
  }

  /**
   * The deliveries of a message published to {@code topicName} by {@code publisherClientId} at {@code publishQos}.
   * {@code available} says whether a shared group member can take a message now (false when offline or out of
   * credit); members it refuses are skipped. A group with no available member still gets the message, for the member
   * whose turn it is, and is counted in {@link RouteResult#unavailableSharedGroups()}. Lock-free; {@code available} must not block.
   */
  public RouteResult route(TopicName topicName, String publisherClientId, int publishQos,
      Predicate<String> available) {
    return route(topicName, publisherClientId, publishQos, available, group -> true);
  }

  /**
   * {@link #route(TopicName, String, int, Predicate)} for the matching shared groups that {@code servedGroups}
   * accepts only (by their full {@code $share/{group}/{filter}}): in a cluster, one node is chosen for each group
   * and the others skip it. Non-shared subscriptions are routed to as always.
   */
  public RouteResult route(TopicName topicName, String publisherClientId, int publishQos,
      Predicate<String> available, Predicate<TopicFilter> servedGroups) {
    SubscriptionOptions.checkQos(publishQos, "published QoS");
    Objects.requireNonNull(publisherClientId, "publisherClientId");
    Router router = new Router(publisherClientId, publishQos, available, servedGroups);
    tree.match(topicName, router);
    return router.result();
  }

  private IndexEntry add(Subscription subscription) {
    SessionSubscription entry = new SessionSubscription(subscription.clientId(), subscription.filter(),
        subscription.options());
    tree.subscribe(subscription.filter(), entry);
    return entry;
  }

  private IndexEntry join(Subscription subscription) {
    SharedGroup group = sharedGroups.get(subscription.filter());
    if (group == null) {
      group = new SharedGroup(subscription.filter());
      sharedGroups.put(subscription.filter(), group);
      group.add(new SharedGroup.Member(subscription.clientId(), subscription.options()));
      tree.subscribe(subscription.filter(), group); // after the first member, so a match never sees it empty
    } else {
      group.add(new SharedGroup.Member(subscription.clientId(), subscription.options()));
    }
    return group;
  }

  /** Removes the tree entry of one (session, filter). Under the writer lock. */
  private void remove(String clientId, TopicFilter filter, IndexEntry entry) {
    if (entry instanceof SharedGroup group) {
      if (group.remove(clientId) == 0) {
        sharedGroups.remove(filter);
        tree.unsubscribe(filter, group);
      }
    } else {
      tree.unsubscribe(filter, entry);
    }
  }

  /** A tree entry: one session's non-shared subscription, or a shared group. Equality is identity. */
  sealed interface IndexEntry permits SessionSubscription, SharedGroup {

    /** Replaces the options of {@code clientId}'s subscription. Under the writer lock. */
    void replaceOptions(String clientId, SubscriptionOptions options);

    SubscriptionOptions options(String clientId);
  }

  /** One session's non-shared subscription; the options are replaced in place by a re-subscribe. */
  static final class SessionSubscription implements IndexEntry {
    final String clientId;
    final TopicFilter filter;
    volatile SubscriptionOptions options;

    SessionSubscription(String clientId, TopicFilter filter, SubscriptionOptions options) {
      this.clientId = clientId;
      this.filter = filter;
      this.options = options;
    }

    @Override
    public void replaceOptions(String clientId, SubscriptionOptions options) {
      this.options = options;
    }

    @Override
    public SubscriptionOptions options(String clientId) {
      return options;
    }
  }

  /** Collects the matches of one {@link #route} call. Confined to the routing thread. */
  private static final class Router implements Consumer<IndexEntry> {
    private final String publisherClientId;
    private final int publishQos;
    private final Predicate<String> available;
    private final Predicate<TopicFilter> servedGroups;
    /** The first session matched: most publishes match one session, which then costs no map. */
    private DeliveryBuilder first;
    /** The sessions matched after the first, in the order first matched; null until a second one. */
    private Map<String, DeliveryBuilder> others;
    private final List<Delivery> sharedDeliveries = new ArrayList<>();
    private int unavailableSharedGroups;

    Router(String publisherClientId, int publishQos, Predicate<String> available,
        Predicate<TopicFilter> servedGroups) {
      this.publisherClientId = publisherClientId;
      this.publishQos = publishQos;
      this.available = available;
      this.servedGroups = servedGroups;
    }

    @Override
    public void accept(IndexEntry entry) {
      if (entry instanceof SessionSubscription subscription) {
        acceptSubscription(subscription.clientId, subscription.filter, subscription.options);
      } else {
        acceptGroup((SharedGroup) entry);
      }
    }

    private void acceptSubscription(String clientId, TopicFilter filter, SubscriptionOptions options) {
      // [MQTT-3.8.3-3] If No Local is 1, Application Messages MUST NOT be forwarded to a connection with a
      // ClientID equal to the ClientID of the publishing connection
      if (options.noLocal() && clientId.equals(publisherClientId)) {
        return;
      }
      builderOf(clientId).add(filter, options, publishQos);
    }

    private DeliveryBuilder builderOf(String clientId) {
      if (first == null) {
        first = new DeliveryBuilder(clientId);
        return first;
      }
      if (first.clientId.equals(clientId)) {
        return first;
      }
      if (others == null) {
        others = new LinkedHashMap<>();
      }
      return others.computeIfAbsent(clientId, DeliveryBuilder::new);
    }

    private void acceptGroup(SharedGroup group) {
      if (!servedGroups.test(group.filter())) {
        return; // another node serves this group for this message
      }
      SharedGroup.Member member = group.next(available);
      if (member == SharedGroup.NO_MEMBERS) {
        return; // the last member left during this call: the group no longer exists
      }
      if (!available.test(member.clientId())) {
        unavailableSharedGroups++;
      }
      sharedDeliveries.add(new DeliveryBuilder(member.clientId()).add(group.filter(), member.options(), publishQos)
          .build());
    }

    RouteResult result() {
      int sessions = first == null ? 0 : others == null ? 1 : 1 + others.size();
      List<Delivery> deliveries = new ArrayList<>(sessions + sharedDeliveries.size());
      if (first != null) {
        deliveries.add(first.build());
      }
      if (others != null) {
        for (DeliveryBuilder builder : others.values()) {
          deliveries.add(builder.build());
        }
      }
      deliveries.addAll(sharedDeliveries);
      return new RouteResult(deliveries, unavailableSharedGroups);
    }
  }

  /** Merges one session's matching subscriptions into one {@link Delivery} [MQTT-3.3.4-2]. */
  private static final class DeliveryBuilder {
    private final String clientId;
    private TopicFilter subscription;
    private int grantedQos = -1;
    private boolean retainAsPublished;
    /** Null until the first identifier: most subscriptions have none. */
    private List<Integer> subscriptionIdentifiers;

    DeliveryBuilder(String clientId) {
      this.clientId = clientId;
    }

    DeliveryBuilder add(TopicFilter filter, SubscriptionOptions options, int publishQos) {
      int qos = options.grantedQos(publishQos);
      if (qos > grantedQos
          || qos == grantedQos && filter.asString().compareTo(subscription.asString()) < 0) {
        subscription = filter;
      }
      grantedQos = Math.max(grantedQos, qos);
      retainAsPublished |= options.retainAsPublished();
      if (options.hasSubscriptionIdentifier()) {
        if (subscriptionIdentifiers == null) {
          subscriptionIdentifiers = new ArrayList<>(1);
        }
        if (!subscriptionIdentifiers.contains(options.subscriptionIdentifier())) {
          subscriptionIdentifiers.add(options.subscriptionIdentifier());
        }
      }
      return this;
    }

    Delivery build() {
      if (subscriptionIdentifiers == null) {
        return new Delivery(clientId, subscription, grantedQos, retainAsPublished, List.of());
      }
      subscriptionIdentifiers.sort(null);
      return new Delivery(clientId, subscription, grantedQos, retainAsPublished, subscriptionIdentifiers);
    }
  }
}
