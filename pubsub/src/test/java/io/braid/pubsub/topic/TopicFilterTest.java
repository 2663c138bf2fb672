package io.braid.pubsub.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

  @ParameterizedTest
  @ValueSource(strings = {"#", "+", "sport/#", "sport/tennis/#", "+/+", "/+", "+/tennis/#", "sport/+/player1",
      "+/", "/", "//", "$SYS/#", "a//+//#", "$share", "$sharex/a", "$SHARE/+/#"})
  void validFiltersAreAccepted(String filter) {
    assertThat(TopicFilter.parse(filter).asString()).isEqualTo(filter);
    assertThat(TopicFilter.parse(filter).isShared()).isFalse();
  }

  @Test
  void levelsIncludeWildcardsAndEmptyLevels() {
    assertThat(TopicFilter.parse("a//+/#").levels()).containsExactly("a", "", "+", "#");
    assertThat(TopicFilter.parse("+/x").startsWithWildcard()).isTrue();
    assertThat(TopicFilter.parse("#").startsWithWildcard()).isTrue();
    assertThat(TopicFilter.parse("x/#").startsWithWildcard()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sport/tennis#", "sport/tennis/#/ranking", "#/", "##", "a/#b", "#/#", "a/b#/"})
  void multiLevelWildcardMustBeAWholeLevelAndTheLastLevel(String filter) {
    assertRejected(filter, TopicRule.MULTI_LEVEL_WILDCARD_LAST,
        "[MQTT-4.7.1-1] '#' must occupy an entire level and be the last level of the filter: '" + filter + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sport+", "sport/+tennis", "+a", "a+/b", "++", "a/++/b"})
  void singleLevelWildcardMustOccupyAnEntireLevel(String filter) {
    assertRejected(filter, TopicRule.SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL,
        "[MQTT-4.7.1-2] '+' must occupy an entire level of the filter: '" + filter + "'");
  }

  @Test
  void topicFiltersMustBeNonEmptyNulFreeWellFormedAndWithinLimits() {
    assertRejected("", TopicRule.NOT_EMPTY, "[MQTT-4.7.3-1]");
    assertRejected("a/\u0000/#", TopicRule.NO_NULL_CHARACTER, "[MQTT-4.7.3-2]");
    assertRejected("a/\uDFFF", TopicRule.WELL_FORMED_UTF8, "[MQTT-1.5.4-1]");
    assertRejected("a".repeat(65_534) + "/#", TopicRule.MAX_LENGTH, "[MQTT-4.7.3-3]");
    assertThatThrownBy(() -> TopicFilter.parse("+/+/+", new TopicLimits(100, 2)))
        .isInstanceOfSatisfying(InvalidTopicException.class, e -> assertThat(e.rule()).isEqualTo(TopicRule.MAX_LEVELS));
  }

  @Test
  void sharedSubscriptionIsParsedIntoGroupAndFilter() {
    TopicFilter shared = TopicFilter.parse("$share/consumers/sport/+/player1");
    assertThat(shared.isShared()).isTrue();
    assertThat(shared.shareGroup()).hasValue("consumers");
    assertThat(shared.matchingFilter()).isEqualTo("sport/+/player1");
    assertThat(shared.levels()).containsExactly("sport", "+", "player1");
    assertThat(shared.asString()).isEqualTo("$share/consumers/sport/+/player1");
    assertThat(TopicFilter.parse("$share/g/#").matchingFilter()).isEqualTo("#");
    assertThat(TopicFilter.parse("$share/g//").levels()).containsExactly("", "");
    assertThat(TopicFilter.parse("$share/g/$share/h/x").matchingFilter()).isEqualTo("$share/h/x");
    assertThat(TopicFilter.parse("sport").shareGroup()).isEmpty();
  }

  @Test
  void shareNameMustBeAtLeastOneCharacterLong() {
    assertRejected("$share//sport", TopicRule.SHARE_NAME_NOT_EMPTY,
        "[MQTT-4.8.2-1] a shared subscription's share name must be at least one character long: '$share//sport'");
    assertRejected("$share/", TopicRule.SHARE_NAME_NOT_EMPTY, "[MQTT-4.8.2-1]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"$share/group", "$share/group/", "$share/gr+oup/a", "$share/+/a", "$share/#/a", "$share/g#"})
  void shareNameMustNotContainWildcardsAndMustBeFollowedBySlashAndAFilter(String filter) {
    assertRejected(filter, TopicRule.SHARE_NAME_FOLLOWED_BY_FILTER, "[MQTT-4.8.2-2]", "'" + filter + "'");
  }

  @Test
  void sharedSubscriptionFilterFollowsTheFilterRules() {
    assertRejected("$share/g/a+", TopicRule.SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL, "'$share/g/a+'");
    assertRejected("$share/g/#/a", TopicRule.MULTI_LEVEL_WILDCARD_LAST, "'$share/g/#/a'");
    assertThat(TopicFilter.parse("$share/g/a/b/c", new TopicLimits(100, 3)).levelCount()).isEqualTo(3);
  }

  private static void assertRejected(String filter, TopicRule rule, String... messageParts) {
    assertThatThrownBy(() -> TopicFilter.parse(filter))
        .isInstanceOfSatisfying(InvalidTopicException.class, e -> assertThat(e.rule()).isEqualTo(rule))
        .message().contains(messageParts);
  }
}
