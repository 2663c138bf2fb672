package io.braid.pubsub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The retained-message trie on its own: matching by filter, pruning, and changes that race. */
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

  private static ApplicationMessage acceptedAt(String topic, long createdAtMillis) {
    return message(topic).accepted(createdAtMillis, createdAtMillis);
  }

  @Test
  void aMessageAcceptedEarlierDoesNotReplaceANewerOneNorReachTheStore() {
    ApplicationMessage newer = acceptedAt("a", 20);
    retained.put(newer);
    List<ApplicationMessage> persisted = new ArrayList<>();

    ApplicationMessage late = acceptedAt("a", 10);
    assertThat(retained.putUnlessNewerHeld(late, () -> persisted.add(late))).isFalse();

    assertThat(retained.match(TopicFilter.parse("a"))).containsExactly(newer);
    assertThat(persisted).isEmpty();
  }

  @Test
  void aMessageAcceptedLaterReplacesTheOneHeldAndReachesTheStore() {
    retained.put(acceptedAt("a", 10));
    List<ApplicationMessage> persisted = new ArrayList<>();

    ApplicationMessage newer = acceptedAt("a", 20);
    assertThat(retained.putUnlessNewerHeld(newer, () -> persisted.add(newer))).isTrue();

    assertThat(retained.match(TopicFilter.parse("a"))).containsExactly(newer);
    assertThat(persisted).containsExactly(newer);
  }

  @Test
  void aClearAcceptedEarlierDoesNotRemoveANewerMessage() {
    ApplicationMessage newer = acceptedAt("a", 20);
    retained.put(newer);
    ApplicationMessage lateClear = ApplicationMessage.of("p", "a", new byte[0], 0, true).accepted(10, 10);

    assertThat(retained.removeUnlessNewerHeld(lateClear, () -> { })).isFalse();
    assertThat(retained.match(TopicFilter.parse("a"))).containsExactly(newer);

    ApplicationMessage clear = ApplicationMessage.of("p", "a", new byte[0], 0, true).accepted(30, 30);
    assertThat(retained.removeUnlessNewerHeld(clear, () -> { })).isTrue();
    assertThat(retained.size()).isZero();
  }

  @Test
  void removingAnExpiredMessageLeavesTheOneThatReplacedIt() {
    ApplicationMessage expired = acceptedAt("a", 10);
    retained.put(expired);
    ApplicationMessage replacement = acceptedAt("a", 20);
    retained.put(replacement);
    List<TopicName> deleted = new ArrayList<>();

    assertThat(retained.removeIfHeld(expired, () -> deleted.add(expired.topic()))).isFalse();

    assertThat(retained.match(TopicFilter.parse("a"))).containsExactly(replacement);
    assertThat(deleted).isEmpty();
  }

  @Test
  void theStoreSeesOneTopicsChangesInTheOrderMemoryDoes() throws Exception {
    List<ApplicationMessage> persisted = new CopyOnWriteArrayList<>();
    ApplicationMessage first = acceptedAt("a", 10);
    ApplicationMessage second = acceptedAt("a", 20);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      // while the first change is being persisted, another thread makes the second: it must wait its turn, or
      // its write could reach the store before the first one's and the store would keep the older message
      retained.putUnlessNewerHeld(first, () -> {
        Future<Boolean> racing = other.submit(() -> retained.putUnlessNewerHeld(second, () -> persisted.add(second)));
        awaitQuietly(racing);
        persisted.add(first);
      });
      other.shutdown();
      assertThat(other.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      other.shutdownNow();
    }

    assertThat(retained.match(TopicFilter.parse("a"))).containsExactly(second);
    assertThat(persisted).containsExactly(first, second);
  }

  /** Waits a little for {@code racing}, which must not be able to finish meanwhile. */
  private static void awaitQuietly(Future<Boolean> racing) {
    try {
      racing.get(200, TimeUnit.MILLISECONDS);
    } catch (TimeoutException expected) {
      // it waits for the lock this thread holds
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
  }
}
