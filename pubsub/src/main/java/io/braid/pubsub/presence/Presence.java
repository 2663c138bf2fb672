package io.braid.pubsub.presence;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Who is in which topic: the members of a topic that matches one of the presence filters are the connected clients
 * subscribed to exactly that topic name. A join or a leave is published to {@code $presence/<topic>}; a new
 * subscriber of {@code $presence/<filter>} first gets a snapshot of the members of each matching topic (in pages),
 * taken under the same lock as the events, so that it sees every change after its snapshot and none twice out of
 * order.
 *
 * <p>Membership lives in memory only: after a restart nobody is present until clients subscribe again (no ghosts).
 * Keyed by client identifier and connection (the {@code owner}), so that a takeover's leave never removes the new
 * connection's membership.
 *
 * <p>In a cluster each node keeps every node's members: its own, whose changes it tells the others
 * ({@link #replicateTo}), and theirs ({@link #joinedElsewhere}, {@link #leftElsewhere}, {@link #nodeLeft}), owned by
 * their node. Each node publishes the events of all of them to its own subscribers, so that a snapshot and the events
 * after it come from one place under one lock. A client moving between nodes is the member of the node that told of
 * it last; the leave of its former connection, wherever it comes from, does not remove it.
 *
 * <p><b>Threading:</b> thread safe: one lock, taken for membership changes and snapshots, never on the publish path
 * of ordinary topics.
 */
public final class Presence {

  /** The topic prefix of presence messages. */
  public static final String PREFIX = "$presence/";
  /** Members per snapshot message. */
  static final int PAGE = 500;

  /**
   * A member of a topic: its client identifier, its info (a JSON object, or null), the name no other member of the
   * topic may have (or null), and its connection.
   */
  record Member(String clientId, String info, String uniqueName, Object owner) {
  }

  /** The owner of the members another node told of. */
  private record OtherNode(String node) {
  }

  private final List<TopicFilter> filters;
  private final Consumer<ApplicationMessage> publisher;
  private final Map<TopicName, Map<String, Member>> topics = new HashMap<>();
  private final Map<String, Set<TopicName>> byClient = new HashMap<>();
  private PresenceReplication replication;

  /**
   * @param filters the topics whose members are tracked; empty disables presence
   * @param publisher publishes a join or leave event to the broker's subscribers
   */
  public Presence(List<TopicFilter> filters, Consumer<ApplicationMessage> publisher) {
    this.filters = List.copyOf(filters);
    this.publisher = publisher;
  }

  public boolean isEnabled() {
    return !filters.isEmpty();
  }

  /** Whether a subscription to {@code filter} makes its client a member: a topic name presence is tracked for. */
  public boolean tracks(TopicFilter filter) {
    if (!filter.isTopicName() || filter.asString().startsWith("$")) {
      return false;
    }
    TopicName topic = TopicName.parse(filter.asString());
    for (TopicFilter tracked : filters) {
      if (tracked.matches(topic)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code filter} asks for presence ({@code $presence/...}). */
  public static boolean isPresenceFilter(TopicFilter filter) {
    return !filter.isShared() && filter.asString().startsWith(PREFIX);
  }

  /** {@code clientId}, connected as {@code owner}, subscribed to {@code topic}: it joins unless it is a member. */
  public void join(TopicFilter topic, String clientId, String info, Object owner) {
    join(topic, clientId, info, null, owner);
  }

  /**
   * {@link #join(TopicFilter, String, String, Object)}, unless another client is a member of {@code topic} under the
   * same {@code uniqueName} (a nickname; null: no such rule): then nothing changes and it returns false.
   */
  public synchronized boolean join(TopicFilter topic, String clientId, String info, String uniqueName, Object owner) {
    TopicName name = TopicName.parse(topic.asString());
    Map<String, Member> members = topics.getOrDefault(name, Map.of());
    if (uniqueName != null) {
      for (Member other : members.values()) {
        if (uniqueName.equals(other.uniqueName()) && !other.clientId().equals(clientId)) {
          return false;
        }
      }
    }
    Member member = new Member(clientId, info, uniqueName, owner);
    if (put(name, member) && replication != null) {
      replication.joined(new Membership(name.asString(), clientId, info, uniqueName));
    }
    return true;
  }

  /** Puts {@code member}, publishing a join if it is new in the topic; whether anything changed. */
  private boolean put(TopicName name, Member member) {
    Member previous = topics.computeIfAbsent(name, t -> new LinkedHashMap<>()).put(member.clientId(), member);
    byClient.computeIfAbsent(member.clientId(), c -> new HashSet<>()).add(name);
    if (previous == null) {
      publisher.accept(PresenceEvents.join(name.asString(), member));
    }
    return !member.equals(previous);
  }

  /** {@code clientId}'s connection {@code owner} left {@code topic}. */
  public synchronized void leave(TopicFilter topic, String clientId, Object owner, LeaveReason reason) {
    remove(TopicName.parse(topic.asString()), clientId, owner, reason);
  }

  /** {@code clientId}'s connection {@code owner} ended: it leaves every topic it was in. */
  public synchronized void leaveAll(String clientId, Object owner, LeaveReason reason) {
    Set<TopicName> names = byClient.get(clientId);
    if (names != null) {
      for (TopicName name : new ArrayList<>(names)) {
        remove(name, clientId, owner, reason);
      }
    }
  }

  private void remove(TopicName name, String clientId, Object owner, LeaveReason reason) {
    Map<String, Member> members = topics.get(name);
    Member member = members == null ? null : members.get(clientId);
    if (member == null || !member.owner().equals(owner)) {
      return; // not a member, or a member by a newer connection (here or on another node)
    }
    members.remove(clientId);
    if (members.isEmpty()) {
      topics.remove(name);
    }
    Set<TopicName> names = byClient.get(clientId);
    names.remove(name);
    if (names.isEmpty()) {
      byClient.remove(clientId);
    }
    publisher.accept(PresenceEvents.leave(name.asString(), member, reason));
    if (replication != null && !(owner instanceof OtherNode)) {
      replication.left(name.asString(), clientId, reason);
    }
  }

  /** Tells {@code replication} every change to this node's own members from now on. */
  public synchronized void replicateTo(PresenceReplication replication) {
    this.replication = replication;
  }

  /** This node's own members, under the lock: a change after them goes to {@link #replicateTo}'s replication. */
  public synchronized void ownMembers(Consumer<List<Membership>> sink) {
    List<Membership> own = new ArrayList<>();
    topics.forEach((name, members) -> members.values().forEach(member -> {
      if (!(member.owner() instanceof OtherNode)) {
        own.add(new Membership(name.asString(), member.clientId(), member.info(), member.uniqueName()));
      }
    }));
    sink.accept(own);
  }

  /** {@code node} told that {@code membership}'s client, connected to it, is a member. */
  public synchronized void joinedElsewhere(String node, Membership membership) {
    put(TopicName.parse(membership.topic()), new Member(membership.clientId(), membership.info(),
        membership.uniqueName(), new OtherNode(node)));
  }

  /** {@code node} told that {@code clientId}, connected to it, is no member of {@code topic} any more. */
  public synchronized void leftElsewhere(String node, String topic, String clientId, LeaveReason reason) {
    remove(TopicName.parse(topic), clientId, new OtherNode(node), reason);
  }

  /**
   * {@code node} told all its members: those it told of before and not now leave (reason lost: what told of their
   * leave did not arrive), the others join.
   */
  public synchronized void membersElsewhere(String node, List<Membership> memberships) {
    Set<String> now = new HashSet<>();
    for (Membership membership : memberships) {
      now.add(membership.topic() + '\u0000' + membership.clientId());
    }
    removeOwnedBy(new OtherNode(node), member -> !now.contains(member));
    memberships.forEach(membership -> joinedElsewhere(node, membership));
  }

  /** {@code node} left the cluster: its members leave (reason lost). */
  public synchronized void nodeLeft(String node) {
    removeOwnedBy(new OtherNode(node), member -> true);
  }

  private void removeOwnedBy(OtherNode owner, Predicate<String> which) {
    List<Map.Entry<TopicName, String>> leaving = new ArrayList<>();
    topics.forEach((name, members) -> members.values().forEach(member -> {
      if (member.owner().equals(owner) && which.test(name.asString() + '\u0000' + member.clientId())) {
        leaving.add(Map.entry(name, member.clientId()));
      }
    }));
    leaving.forEach(entry -> remove(entry.getKey(), entry.getValue(), owner, LeaveReason.LOST));
  }

  /**
   * Registers a presence subscription ({@code register} returns whether it is new) and hands {@code sink} its
   * snapshot ({@link #snapshot}), both under the lock: every join or leave is either in the snapshot or routed to the
   * subscription after it.
   */
  public synchronized boolean subscribe(TopicFilter presenceFilter, BooleanSupplier register,
      Consumer<ApplicationMessage> sink) {
    boolean isNew = register.getAsBoolean();
    snapshot(presenceFilter, sink);
    return isNew;
  }

  /**
   * Hands {@code sink} the members of each topic matching {@code presenceFilter} ({@code $presence/<filter>}), in
   * pages of {@value #PAGE}; a topic name with no members gets one empty page, so its subscriber knows the snapshot
   * is complete. Under the lock: no event overtakes the snapshot.
   */
  public synchronized void snapshot(TopicFilter presenceFilter, Consumer<ApplicationMessage> sink) {
    TopicFilter filter = TopicFilter.parse(presenceFilter.asString().substring(PREFIX.length()));
    if (filter.isTopicName()) {
      Map<String, Member> members = topics.get(TopicName.parse(filter.asString()));
      pages(filter.asString(), members == null ? List.of() : new ArrayList<>(members.values()), sink);
      return;
    }
    for (Map.Entry<TopicName, Map<String, Member>> topic : topics.entrySet()) {
      if (filter.matches(topic.getKey())) {
        pages(topic.getKey().asString(), new ArrayList<>(topic.getValue().values()), sink);
      }
    }
  }

  private static void pages(String topic, List<Member> members, Consumer<ApplicationMessage> sink) {
    int pages = Math.max(1, (members.size() + PAGE - 1) / PAGE);
    for (int page = 0; page < pages; page++) {
      List<Member> slice = members.subList(page * PAGE, Math.min(members.size(), (page + 1) * PAGE));
      sink.accept(PresenceEvents.members(topic, slice, page + 1, pages));
    }
  }

  /** Topics with members. */
  public synchronized int topicCount() {
    return topics.size();
  }

  /** Memberships: members summed over topics. */
  public synchronized int memberCount() {
    int count = 0;
    for (Map<String, Member> members : topics.values()) {
      count += members.size();
    }
    return count;
  }
}
