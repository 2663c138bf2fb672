package io.braid.server.auth;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.List;

/**
 * What one connected client may publish and subscribe to: its {@link AccessPolicy} rules, resolved for its user
 * name, roles and client identifier when it connected. Immutable; safe for any thread.
 */
public final class ClientAccess {

  /** The access of every client without an ACL file: anything but publishing to {@code $} topics. */
  static final ClientAccess ALLOW_ALL = new ClientAccess(null);

  /** One resolved rule: a deny, or what it grants, on a filter's levels. */
  record Grant(boolean deny, boolean read, boolean write, List<String> levels) {
  }

  /** The rules in force, or null for {@link #ALLOW_ALL}. */
  private final List<Grant> grants;

  ClientAccess(List<Grant> grants) {
    this.grants = grants == null ? null : List.copyOf(grants);
  }

  /** Whether a granting rule matches {@code topic} and no deny rule does. */
  public boolean canPublish(TopicName topic) {
    if (grants == null) {
      return !topic.isDollarTopic();
    }
    boolean granted = false;
    for (Grant grant : grants) {
      if (TopicPatterns.matches(grant.levels(), topic.levels())) {
        if (grant.deny()) {
          return false;
        }
        granted |= grant.write();
      }
    }
    return granted;
  }

  /**
   * Whether a granting rule covers all of {@code filter} and no deny rule matches any topic it could match, so that
   * nothing denied can reach the subscriber later.
   */
  public boolean canSubscribe(TopicFilter filter) {
    if (grants == null) {
      return true;
    }
    List<String> wanted = filter.levels();
    boolean granted = false;
    for (Grant grant : grants) {
      if (grant.deny()) {
        if (TopicPatterns.intersect(grant.levels(), wanted)) {
          return false;
        }
      } else if (grant.read() && TopicPatterns.covers(grant.levels(), wanted)) {
        granted = true;
      }
    }
    return granted;
  }
}
