package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private final RouteTable table = new RouteTable();

  private static NodeRoute route(String node, String filter) {
    return new NodeRoute(node, TopicFilter.parse(filter));
  }

  private ForwardPlan plan(String topic) {
    return table.plan(TopicName.parse(topic), List.of(), group -> false, 0);
  }

  @Test
  void forwardsOnlyToNodesWithAMatchingFilter() {
    table.add(route("b", "sensors/+/temperature"));
    table.add(route("c", "chat/#"));

    ForwardPlan plan = plan("sensors/kitchen/temperature");

    assertThat(plan.remote()).containsOnlyKeys("b");
    assertThat(plan.remote().get("b")).isEmpty();
    assertThat(plan.matchingNodes()).isEqualTo(1);
  }

  @Test
  void aTopicNobodyElseWantsStaysHere() {
    table.add(route("b", "chat/#"));

    assertThat(plan("sensors/kitchen")).isSameAs(ForwardPlan.LOCAL_ONLY);
  }

  @Test
  void aNodeWithSeveralMatchingFiltersGetsOneCopy() {
    table.add(route("b", "chat/#"));
    table.add(route("b", "chat/lobby"));
    table.add(route("b", "+/lobby"));

    assertThat(plan("chat/lobby").remote()).containsOnlyKeys("b");
  }

  @Test
  void aRetainedMessageGoesToEveryPeerButCountsOnlyMatchingNodes() {
    table.add(route("b", "chat/#"));

    ForwardPlan plan = table.plan(TopicName.parse("status/door"), List.of("b", "c"), group -> false, 0);

    assertThat(plan.remote()).containsOnlyKeys("b", "c");
    assertThat(plan.matchingNodes()).isZero();
  }

  @Test
  void removedRoutesAreNoLongerForwardedTo() {
    table.add(route("b", "chat/#"));
    table.add(route("c", "chat/#"));

    assertThat(table.remove(route("b", "chat/#"))).isTrue();
    assertThat(table.remove(route("b", "chat/#"))).isFalse();

    assertThat(plan("chat/lobby").remote()).containsOnlyKeys("c");
  }

  @Test
  void aNodeThatLeftLosesEveryRoute() {
    table.add(route("b", "chat/#"));
    table.add(route("b", "sensors/#"));
    table.add(route("c", "sensors/#"));

    assertThat(table.removeNode("b")).isEqualTo(2);

    assertThat(plan("chat/lobby")).isSameAs(ForwardPlan.LOCAL_ONLY);
    assertThat(plan("sensors/x").remote()).containsOnlyKeys("c");
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void aSharedGroupOnOneOtherNodeIsServedThere() {
    table.add(route("b", "$share/workers/jobs/#"));

    ForwardPlan plan = table.plan(TopicName.parse("jobs/1"), List.of(), group -> false, 7);

    assertThat(plan.remote()).containsOnlyKeys("b");
    assertThat(plan.remote().get("b")).containsExactly(TopicFilter.parse("$share/workers/jobs/#"));
    assertThat(plan.servesHere(TopicFilter.parse("$share/workers/jobs/#"))).isFalse();
  }

  @Test
  void aSharedGroupOnSeveralNodesIsServedByExactlyOnePerMessageInTurn() {
    TopicFilter group = TopicFilter.parse("$share/workers/jobs/#");
    table.add(route("b", group.asString()));
    table.add(route("c", group.asString()));
    Map<String, Integer> served = new HashMap<>();

    for (long id = 1; id <= 300; id++) {
      ForwardPlan plan = table.plan(TopicName.parse("jobs/1"), List.of(), g -> g.equals(group), id);
      List<String> chosen = plan.remote().entrySet().stream().filter(e -> e.getValue().contains(group))
          .map(Map.Entry::getKey).toList();
      String server = plan.servesHere(group) ? "here" : null;
      assertThat(chosen.size() + (server == null ? 0 : 1)).as("servers of message %d", id).isEqualTo(1);
      served.merge(server != null ? server : chosen.get(0), 1, Integer::sum);
    }

    assertThat(served).containsOnlyKeys("here", "b", "c").containsValues(100, 100, 100);
  }

  @Test
  void sharedAndNonSharedRoutesOfOneNodeShareOneCopy() {
    table.add(route("b", "jobs/#"));
    table.add(route("b", "$share/workers/jobs/#"));

    ForwardPlan plan = table.plan(TopicName.parse("jobs/1"), List.of(), group -> false, 0);

    assertThat(plan.remote()).containsOnlyKeys("b");
    assertThat(plan.remote().get("b")).containsExactly(TopicFilter.parse("$share/workers/jobs/#"));
    assertThat(plan.matchingNodes()).isEqualTo(1);
  }

  @Test
  void aSharedGroupOnlyHereIsLeftToTheLocalIndex() {
    table.add(route("b", "other/#"));

    ForwardPlan plan = table.plan(TopicName.parse("jobs/1"), List.of(), group -> true, 0);

    assertThat(plan.servesHere(TopicFilter.parse("$share/workers/jobs/#"))).isTrue();
    assertThat(plan.remote()).isEmpty();
  }
}
