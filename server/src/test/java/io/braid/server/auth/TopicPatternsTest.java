package io.braid.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.NaiveMatcher;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link TopicPatterns} against brute force: over every topic of up to four levels made of {@code a}, {@code b}
 * and {@code $s}, a filter covers another exactly when it matches every topic the other matches, and two filters
 * intersect exactly when some topic matches both (MQTT matching by the reference matcher).
 */
class TopicPatternsTest {

  private static final List<TopicName> TOPICS = topics();

  private static List<TopicName> topics() {
    List<String> words = List.of("a", "b", "$s");
    List<String> all = new ArrayList<>();
    List<String> current = new ArrayList<>(words);
    for (int depth = 1; depth <= 4; depth++) {
      all.addAll(current);
      List<String> next = new ArrayList<>();
      for (String prefix : current) {
        for (String word : words) {
          next.add(prefix + "/" + word);
        }
      }
      current = next;
    }
    List<TopicName> topics = new ArrayList<>();
    for (String topic : all) {
      topics.add(TopicName.parse(topic));
    }
    return topics;
  }

  @Provide
  Arbitrary<String> filters() {
    Arbitrary<String> levels = Arbitraries.of("a", "b", "$s", "+").list().ofMinSize(1).ofMaxSize(3)
        .map(list -> String.join("/", list));
    return Arbitraries.oneOf(levels, levels.map(filter -> filter + "/#"), Arbitraries.of("#"));
  }

  private static boolean matches(String filter, TopicName topic) {
    NaiveMatcher<String> matcher = new NaiveMatcher<>();
    matcher.subscribe(TopicFilter.parse(filter), filter);
    return !matcher.match(topic).isEmpty();
  }

  @Property(tries = 500)
  void coversMeansEveryTopicOfTheFilterIsMatchedByTheRule(@ForAll("filters") String rule,
      @ForAll("filters") String filter) {
    boolean expected = TOPICS.stream().filter(topic -> matches(filter, topic)).allMatch(topic -> matches(rule, topic));

    assertThat(TopicPatterns.covers(TopicFilter.parse(rule).levels(), TopicFilter.parse(filter).levels()))
        .as("%s covers %s", rule, filter).isEqualTo(expected);
  }

  @Property(tries = 500)
  void intersectMeansSomeTopicIsMatchedByBoth(@ForAll("filters") String left, @ForAll("filters") String right) {
    boolean expected = TOPICS.stream().anyMatch(topic -> matches(left, topic) && matches(right, topic));

    assertThat(TopicPatterns.intersect(TopicFilter.parse(left).levels(), TopicFilter.parse(right).levels()))
        .as("%s intersects %s", left, right).isEqualTo(expected);
  }
}
