package io.braid.pubsub.subscription;

import io.braid.pubsub.topic.TopicFilter;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The members of one shared subscription group, {@code $share/{group}/{filter}} (MQTT 5.0 §4.8.2), and the round
 * robin cursor that picks the member each message goes to.
 *
 * <p><b>Threading:</b> {@link #next} may be called by any thread without a lock: the member array is immutable and
 * replaced through a volatile field (copy on write), and the cursor is an {@link AtomicInteger}, so concurrent
 * callers each take their own turn. {@link #add}, {@link #remove} and {@link #replaceOptions} are called under the
 * {@link SubscriptionIndex}'s writer lock.
 */
final class SharedGroup implements SubscriptionIndex.IndexEntry {

  /** One member: a session and the options of its subscription to the group. */
  record Member(String clientId, SubscriptionOptions options) {
  }

  /** Returned by {@link #next} when the group has no member at all (its last member left during a match). */
  static final Member NO_MEMBERS = new Member("", SubscriptionOptions.ofMaxQos(0));

  private static final Member[] EMPTY = new Member[0];

  private final TopicFilter filter;
  private volatile Member[] members = EMPTY;
  private final AtomicInteger cursor = new AtomicInteger();

  SharedGroup(TopicFilter filter) {
    this.filter = filter;
  }

  /** The group's full filter, {@code $share/{group}/{filter}}. */
  TopicFilter filter() {
    return filter;
  }

  /**
   * The next member in round robin order that {@code available} accepts, or, if it accepts none, the member whose
   * turn it is (the message then waits in that member's session queue rather than being lost). Each call takes one
   * turn of the cursor and tries at most every member once, starting from it.
   */
  Member next(Predicate<String> available) {
    Member[] current = members;
    int count = current.length;
    if (count == 0) {
      return NO_MEMBERS;
    }
    int start = Math.floorMod(cursor.getAndIncrement(), count);
    for (int i = 0; i < count; i++) {
      Member member = current[(start + i) % count];
      if (available.test(member.clientId())) {
        return member;
      }
    }
    return current[start];
  }

  void add(Member member) {
    Member[] grown = Arrays.copyOf(members, members.length + 1);
    grown[grown.length - 1] = member;
    members = grown;
  }

  /** Removes the session's membership; returns the number of members left. */
  int remove(String clientId) {
    Member[] current = members;
    int index = indexOf(current, clientId);
    if (index < 0) {
      return current.length;
    }
    Member[] shrunk = new Member[current.length - 1];
    System.arraycopy(current, 0, shrunk, 0, index);
    System.arraycopy(current, index + 1, shrunk, index, current.length - index - 1);
    members = shrunk;
    return shrunk.length;
  }

  @Override
  public void replaceOptions(String clientId, SubscriptionOptions options) {
    Member[] copy = members.clone();
    copy[indexOf(copy, clientId)] = new Member(clientId, options);
    members = copy;
  }

  @Override
  public SubscriptionOptions options(String clientId) {
    Member[] current = members;
    return current[indexOf(current, clientId)].options();
  }

  private static int indexOf(Member[] members, String clientId) {
    for (int i = 0; i < members.length; i++) {
      if (members[i].clientId().equals(clientId)) {
        return i;
      }
    }
    return -1;
  }
}
