package io.braid.pubsub.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicTreeTest {

  private final TopicTree<String> tree = new TopicTree<>();

  @Test
  void exactFilterMatchesOnlyTheSameTopic() {
    subscribe("sport/tennis", "s1");
    assertThat(match("sport/tennis")).containsExactly("s1");
    assertThat(match("sport/tennis/player1")).isEmpty();
    assertThat(match("sport")).isEmpty();
    assertThat(match("Sport/tennis")).isEmpty();
  }

  @Test
  void singleLevelWildcardMatchesExactlyOneLevel() {
    subscribe("sport/+", "s1");
    subscribe("+/+", "s2");
    subscribe("/+", "s3");
    subscribe("+", "s4");
    assertThat(match("sport/tennis")).containsExactlyInAnyOrder("s1", "s2");
    assertThat(match("sport/")).containsExactlyInAnyOrder("s1", "s2");
    assertThat(match("sport")).containsExactly("s4");
    assertThat(match("sport/tennis/player1")).isEmpty();
    assertThat(match("/finance")).containsExactlyInAnyOrder("s2", "s3");
  }

  @Test
  void multiLevelWildcardAlsoMatchesTheParentLevel() {
    subscribe("sport/tennis/player1/#", "s1");
    subscribe("sport/#", "s2");
    subscribe("#", "s3");
    assertThat(match("sport/tennis/player1")).containsExactlyInAnyOrder("s1", "s2", "s3");
    assertThat(match("sport/tennis/player1/ranking")).containsExactlyInAnyOrder("s1", "s2", "s3");
    assertThat(match("sport/tennis/player1/score/wimbledon")).containsExactlyInAnyOrder("s1", "s2", "s3");
    assertThat(match("sport")).containsExactlyInAnyOrder("s2", "s3");
    assertThat(match("sports")).containsExactly("s3");
    assertThat(match("sport/tennis")).containsExactlyInAnyOrder("s2", "s3");
  }

  @Test
  void filtersStartingWithAWildcardDoNotMatchDollarTopics() {
    subscribe("#", "all");
    subscribe("+/monitor/Clients", "plus");
    subscribe("$SYS/#", "sys");
    subscribe("$SYS/monitor/+", "sysPlus");
    subscribe("$SYS/+/Clients", "sysInner");
    assertThat(match("$SYS/monitor/Clients")).containsExactlyInAnyOrder("sys", "sysPlus", "sysInner");
    assertThat(match("$SYS")).containsExactly("sys");
    assertThat(match("SYS/monitor/Clients")).containsExactlyInAnyOrder("all", "plus");
    assertThat(match("a/$SYS")).containsExactly("all");
  }

  @Test
  void emptyLevelsAreLevels() {
    subscribe("/", "slash");
    subscribe("+/+", "twoLevels");
    subscribe("//#", "emptyEmpty");
    assertThat(match("/")).containsExactlyInAnyOrder("slash", "twoLevels", "emptyEmpty");
    assertThat(match("//")).containsExactly("emptyEmpty");
    assertThat(match("a/")).containsExactly("twoLevels");
  }

  @Test
  void sharedSubscriptionIsIndexedUnderItsMatchingFilter() {
    subscribe("$share/g1/sport/+", "g1:a");
    subscribe("$share/g1/sport/+", "g1:b");
    assertThat(match("sport/tennis")).containsExactly("g1:a", "g1:b");
    assertThat(match("$share/g1/sport/tennis")).isEmpty();
  }

  @Test
  void subscribingTwiceKeepsOneSubscriptionAndOverlappingFiltersEachMatch() {
    assertThat(tree.subscribe(TopicFilter.parse("a/b"), "s")).isTrue();
    assertThat(tree.subscribe(TopicFilter.parse("a/b"), "s")).isFalse();
    assertThat(tree.subscribe(TopicFilter.parse("a/#"), "s")).isTrue();
    assertThat(tree.subscribe(TopicFilter.parse("a/#"), "s")).isFalse();
    assertThat(tree.subscriptionCount()).isEqualTo(2);
    assertThat(match("a/b")).containsExactly("s", "s");
  }

  @Test
  void unsubscribeRemovesOnlyThatPairAndReportsAbsence() {
    subscribe("a/+", "s1");
    subscribe("a/+", "s2");
    assertThat(tree.unsubscribe(TopicFilter.parse("a/+"), "s1")).isTrue();
    assertThat(tree.unsubscribe(TopicFilter.parse("a/+"), "s1")).isFalse();
    assertThat(tree.unsubscribe(TopicFilter.parse("a/#"), "s2")).isFalse();
    assertThat(tree.unsubscribe(TopicFilter.parse("x/y/z"), "s2")).isFalse();
    assertThat(match("a/b")).containsExactly("s2");
    assertThat(tree.subscriptionCount()).isEqualTo(1);
  }

  @Test
  void emptyNodesArePrunedOnUnsubscribe() {
    List<String> filters = List.of("a/b/c", "a/b/#", "a/+/c", "+/+/+", "#", "a", "/", "x//y/#");
    for (String filter : filters) {
      subscribe(filter, "s");
    }
    assertThat(tree.nodeCount()).isGreaterThan(1);
    for (String filter : filters) {
      assertThat(tree.unsubscribe(TopicFilter.parse(filter), "s")).isTrue();
    }
    assertThat(tree.isEmpty()).isTrue();
    assertThat(tree.nodeCount()).isEqualTo(1);
  }

  @Test
  void pruningKeepsNodesThatStillLeadToSubscriptions() {
    subscribe("a/b/c", "deep");
    subscribe("a/b", "shallow");
    int nodes = tree.nodeCount();
    tree.unsubscribe(TopicFilter.parse("a/b"), "shallow");
    assertThat(tree.nodeCount()).isEqualTo(nodes);
    assertThat(match("a/b/c")).containsExactly("deep");
    tree.unsubscribe(TopicFilter.parse("a/b/c"), "deep");
    assertThat(tree.nodeCount()).isEqualTo(1);
    subscribe("a/b/c", "again");
    assertThat(match("a/b/c")).containsExactly("again");
  }

  @Test
  void naiveMatcherAgreesOnTheSpecExamples() {
    assertThat(NaiveMatcher.matches("sport/#", "sport")).isTrue();
    assertThat(NaiveMatcher.matches("sport/tennis/#", "sport/tennis")).isTrue();
    assertThat(NaiveMatcher.matches("sport/+", "sport")).isFalse();
    assertThat(NaiveMatcher.matches("sport/+", "sport/")).isTrue();
    assertThat(NaiveMatcher.matches("+", "/")).isFalse();
    assertThat(NaiveMatcher.matches("+/+", "/")).isTrue();
    assertThat(NaiveMatcher.matches("#", "$SYS")).isFalse();
    assertThat(NaiveMatcher.matches("$SYS/#", "$SYS")).isTrue();
  }

  private void subscribe(String filter, String subscriber) {
    assertThat(tree.subscribe(TopicFilter.parse(filter), subscriber)).isTrue();
  }

  private List<String> match(String topicName) {
    return tree.match(TopicName.parse(topicName));
  }
}
