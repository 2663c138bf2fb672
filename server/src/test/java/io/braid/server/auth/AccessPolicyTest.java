package io.braid.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ACL rules in Mosquitto's acl_file syntax, with roles, as {@link AccessPolicy} applies them. */
class AccessPolicyTest {

  private static final Principal ANONYMOUS = Principal.anonymous();
  private static final Principal ALICE = new Principal("alice", Set.of(), "password");
  private static final Principal BOB = new Principal("bob", Set.of(), "password");

  private static AccessPolicy policy(String... lines) {
    return AccessPolicy.parse(List.of(lines), "test.acl");
  }

  private static boolean publish(AccessPolicy policy, Principal principal, String clientId, String topic) {
    return policy.canPublish(principal, clientId, TopicName.parse(topic));
  }

  private static boolean subscribe(AccessPolicy policy, Principal principal, String clientId, String filter) {
    return policy.canSubscribe(principal, clientId, TopicFilter.parse(filter));
  }

  @Test
  void withoutAFileEverythingIsAllowedButPublishingToDollarTopics() {
    AccessPolicy policy = AccessPolicy.allowAll();

    assertThat(publish(policy, ANONYMOUS, "c", "any/topic")).isTrue();
    assertThat(publish(policy, ANONYMOUS, "c", "$SYS/broker/uptime")).isFalse();
    assertThat(subscribe(policy, ANONYMOUS, "c", "$SYS/#")).isTrue();
  }

  @Test
  void topicLinesBeforeAnyUserApplyToAnonymousClientsOnly() {
    AccessPolicy policy = policy("topic read public/#", "user alice", "topic readwrite alice/#");

    assertThat(subscribe(policy, ANONYMOUS, "c", "public/news")).isTrue();
    assertThat(subscribe(policy, ALICE, "c", "public/news")).isFalse();
    assertThat(subscribe(policy, ALICE, "c", "alice/+")).isTrue();
    assertThat(subscribe(policy, BOB, "c", "alice/+")).isFalse();
  }

  @Test
  void readGrantsSubscribingAndWriteGrantsPublishing() {
    AccessPolicy policy = policy("user alice", "topic read in/#", "topic write out/#", "topic both/#");

    assertThat(subscribe(policy, ALICE, "c", "in/x")).isTrue();
    assertThat(publish(policy, ALICE, "c", "in/x")).isFalse();
    assertThat(publish(policy, ALICE, "c", "out/x")).isTrue();
    assertThat(subscribe(policy, ALICE, "c", "out/x")).isFalse();
    assertThat(publish(policy, ALICE, "c", "both/x")).isTrue();
    assertThat(subscribe(policy, ALICE, "c", "both/x")).isTrue();
  }

  @Test
  void aSubscriptionMustBeCoveredWhole() {
    AccessPolicy policy = policy("user alice", "topic read sensors/+/temp");

    assertThat(subscribe(policy, ALICE, "c", "sensors/kitchen/temp")).isTrue();
    assertThat(subscribe(policy, ALICE, "c", "sensors/+/temp")).isTrue();
    assertThat(subscribe(policy, ALICE, "c", "sensors/#")).isFalse();
    assertThat(subscribe(policy, ALICE, "c", "#")).isFalse();
  }

  @Test
  void denyWinsOverAGrantAndRefusesAnySubscriptionThatCouldReachTheDeniedTopics() {
    AccessPolicy policy = policy("user alice", "topic readwrite home/#", "topic deny home/safe/#");

    assertThat(publish(policy, ALICE, "c", "home/kitchen")).isTrue();
    assertThat(publish(policy, ALICE, "c", "home/safe/code")).isFalse();
    assertThat(subscribe(policy, ALICE, "c", "home/kitchen/#")).isTrue();
    assertThat(subscribe(policy, ALICE, "c", "home/#")).as("would deliver home/safe/...").isFalse();
    assertThat(subscribe(policy, ALICE, "c", "home/+/code")).as("matches home/safe/code").isFalse();
  }

  @Test
  void patternsSubstituteTheUserNameAndClientIdForEveryClient() {
    AccessPolicy policy = policy("pattern readwrite users/%u/#", "pattern write clients/%c/status",
        "user alice", "topic read nothing");

    assertThat(publish(policy, ALICE, "alice-phone", "users/alice/inbox")).isTrue();
    assertThat(publish(policy, ALICE, "alice-phone", "users/bob/inbox")).isFalse();
    assertThat(publish(policy, BOB, "bob-laptop", "clients/bob-laptop/status")).isTrue();
    assertThat(publish(policy, BOB, "bob-laptop", "clients/alice-phone/status")).isFalse();
    assertThat(publish(policy, ANONYMOUS, "anon", "users/anon/inbox")).as("no user name, no %u rule").isFalse();
  }

  @Test
  void aNameWithWildcardsOrSlashesCannotWidenAPattern() {
    AccessPolicy policy = policy("pattern readwrite clients/%c/#");

    assertThat(publish(policy, ANONYMOUS, "evil/../x", "clients/evil/../x/y")).isFalse();
    assertThat(subscribe(policy, ANONYMOUS, "+", "clients/+/#")).isFalse();
    assertThat(subscribe(policy, ANONYMOUS, "#", "clients/#")).isFalse();
  }

  @Test
  void rolesGrantTheirRulesToMembersFromTheFileAndFromTokens() {
    AccessPolicy policy = policy("role operators", "topic readwrite ops/#", "user alice", "roles operators");
    Principal tokenOperator = new Principal("carol", Set.of("operators"), "jwt");

    assertThat(publish(policy, ALICE, "c", "ops/restart")).isTrue();
    assertThat(publish(policy, tokenOperator, "c", "ops/restart")).isTrue();
    assertThat(publish(policy, BOB, "c", "ops/restart")).isFalse();
  }

  @Test
  void aSharedSubscriptionIsCheckedOnItsFilter() {
    AccessPolicy policy = policy("user alice", "topic read jobs/#");

    assertThat(subscribe(policy, ALICE, "c", "$share/workers/jobs/+")).isTrue();
    assertThat(subscribe(policy, ALICE, "c", "$share/workers/other")).isFalse();
  }

  @Test
  void badLinesAreNamedWithTheirNumber() {
    assertThatThrownBy(() -> policy("topic read ok/#", "topc read typo")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.acl line 2").hasMessageContaining("unknown keyword 'topc'");
    assertThatThrownBy(() -> policy("topic read a/#/b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1").hasMessageContaining("invalid topic filter");
    assertThatThrownBy(() -> policy("roles admins")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'roles' belongs in a user section");
  }
}
