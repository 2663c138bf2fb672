package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retained-message trie on its own: matching by filter and pruning. */
class RetainedMessagesTest {

  private final RetainedMessages retained = new RetainedMessages();

  private static ApplicationMessage message(String topic) {
    return ApplicationMessage.of("p", topic, BrokerFixture.bytes(topic), 0, true);
  }

  private List<String> topicsMatching(String filter) {
    return retained.match(TopicFilter.parse(filter)).stream().map(m -> m.topic().asString()).sorted().toList();
  }

  @Test
  void matchesExactSingleLevelAndMultiLevelFilters() {
    for (String topic : List.of("sport", "sport/tennis", "sport/tennis/player1", "sport/golf", "news")) {
      retained.put(message(topic));
    }

    assertThat(topicsMatching("sport/tennis")).containsExactly("sport/tennis");
    assertThat(topicsMatching("sport/+")).containsExactly("sport/golf", "sport/tennis");
    assertThat(topicsMatching("sport/#")).containsExactly("sport", "sport/golf", "sport/tennis",
        "sport/tennis/player1");
    assertThat(topicsMatching("#")).hasSize(5);
    assertThat(topicsMatching("+/+/player1")).containsExactly("sport/tennis/player1");
  }

  @Test
  void leadingWildcardsDoNotMatchDollarTopics() {
    retained.put(message("$SYS/uptime"));
    retained.put(message("plain"));

    assertThat(topicsMatching("#")).containsExactly("plain");
    assertThat(topicsMatching("+/uptime")).isEmpty();
    assertThat(topicsMatching("$SYS/#")).containsExactly("$SYS/uptime");
  }

  @Test
  void replacingKeepsOneMessagePerTopic() {
    retained.put(message("a"));
    ApplicationMessage newer = ApplicationMessage.of("p", "a", BrokerFixture.bytes("newer"), 1, true);
    retained.put(newer);

    assertThat(retained.match(TopicFilter.parse("a"))).containsExactly(newer);
    assertThat(retained.size()).isEqualTo(1);
  }

  @Test
  void removingPrunesTheBranchButKeepsItsNeighbours() {
    retained.put(message("a/b/c"));
    retained.put(message("a/x"));

    assertThat(retained.remove(TopicName.parse("a/b/c"))).isTrue();
    assertThat(retained.remove(TopicName.parse("a/b/c"))).isFalse();

    assertThat(topicsMatching("#")).containsExactly("a/x");
    assertThat(retained.size()).isEqualTo(1);
  }

  @Test
  void emptyLevelsAreLevelsToo() {
    retained.put(message("/a"));
    retained.put(message("a/"));

    assertThat(topicsMatching("+/a")).containsExactly("/a");
    assertThat(topicsMatching("a/+")).containsExactly("a/");
  }
}
