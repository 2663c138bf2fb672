package io.braid.pubsub.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * {@link TopicTree} against {@link NaiveMatcher}: small alphabets so that matches are frequent, with {@code +},
 * {@code #}, empty levels, $-topics and shared subscriptions.
 */
class TopicTreePropertiesTest {

  record Subscription(String filter, int subscriber) {
  }

  @Property(tries = 400)
  void topicTreeMatchesTheSameSubscribersAsTheNaiveMatcher(
      @ForAll("subscriptions") @Size(max = 40) List<Subscription> subscriptions,
      @ForAll("topicNames") @Size(min = 1, max = 20) List<String> topicNames,
      @ForAll @Size(40) List<Boolean> unsubscribe) {
    TopicTree<Integer> tree = new TopicTree<>();
    NaiveMatcher<Integer> naive = new NaiveMatcher<>();
    for (Subscription subscription : subscriptions) {
      TopicFilter filter = TopicFilter.parse(subscription.filter());
      assertThat(tree.subscribe(filter, subscription.subscriber()))
          .isEqualTo(naive.subscribe(filter, subscription.subscriber()));
    }
    assertSameMatches(tree, naive, topicNames);

    for (int i = 0; i < subscriptions.size(); i++) {
      if (unsubscribe.get(i)) {
        TopicFilter filter = TopicFilter.parse(subscriptions.get(i).filter());
        assertThat(tree.unsubscribe(filter, subscriptions.get(i).subscriber()))
            .isEqualTo(naive.unsubscribe(filter, subscriptions.get(i).subscriber()));
      }
    }
    assertThat(tree.subscriptionCount()).isEqualTo(naive.subscriptionCount());
    assertSameMatches(tree, naive, topicNames);

    for (Subscription subscription : subscriptions) {
      tree.unsubscribe(TopicFilter.parse(subscription.filter()), subscription.subscriber());
    }
    assertThat(tree.isEmpty()).isTrue();
    assertThat(tree.nodeCount()).isEqualTo(1);
  }

  private static void assertSameMatches(TopicTree<Integer> tree, NaiveMatcher<Integer> naive, List<String> topicNames) {
    for (String topic : topicNames) {
      TopicName topicName = TopicName.parse(topic);
      assertThat(tree.match(topicName))
          .as("subscribers matching %s", topic)
          .containsExactlyInAnyOrderElementsOf(naive.match(topicName));
    }
  }

  @Provide
  Arbitrary<List<Subscription>> subscriptions() {
    Arbitrary<String> level = Arbitraries.of("a", "b", "", "+", "$s");
    Arbitrary<String> filter = Combinators.combine(
            level.list().ofMaxSize(4),
            Arbitraries.of(false, false, true),
            Arbitraries.of("", "", "", "", "$share/g/"))
        .as((levels, multiLevel, sharePrefix) -> {
          List<String> all = new ArrayList<>(levels);
          if (multiLevel) {
            all.add("#");
          }
          return all.isEmpty() ? "" : sharePrefix + String.join("/", all);
        })
        .filter(f -> !f.isEmpty() && !f.endsWith("/"));
    Arbitrary<String> anyFilter = Arbitraries.oneOf(filter, filter.map(f -> f.endsWith("#") ? f : f + "/"), Arbitraries.of("#", "+", "/"));
    return Combinators.combine(anyFilter, Arbitraries.integers().between(0, 3)).as(Subscription::new).list();
  }

  @Provide
  Arbitrary<List<String>> topicNames() {
    Arbitrary<String> level = Arbitraries.of("a", "b", "", "$s");
    return level.list().ofMinSize(1).ofMaxSize(5)
        .map(levels -> String.join("/", levels))
        .filter(topic -> !topic.isEmpty())
        .list();
  }
}
