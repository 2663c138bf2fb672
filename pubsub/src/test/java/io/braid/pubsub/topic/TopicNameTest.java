package io.braid.pubsub.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicNameTest {

  @Test
  void levelsAreSplitOnSlashAndEmptyLevelsAreKept() {
    assertThat(TopicName.parse("sport/tennis/player1").levels()).containsExactly("sport", "tennis", "player1");
    assertThat(TopicName.parse("/finance").levels()).containsExactly("", "finance");
    assertThat(TopicName.parse("a//b/").levels()).containsExactly("a", "", "b", "");
    assertThat(TopicName.parse("/").levels()).containsExactly("", "");
  }

  @Test
  void topicNamesMustBeAtLeastOneCharacterLong() {
    assertRejected("", TopicRule.NOT_EMPTY,
        "[MQTT-4.7.3-1] topic names and topic filters must be at least one character long: ''");
  }

  @Test
  void topicNamesMustNotContainWildcards() {
    assertRejected("sport/+", TopicRule.NO_WILDCARD_IN_TOPIC_NAME,
        "[MQTT-4.7.0-1] wildcard characters '+' and '#' must not be used within a topic name (at index 6): 'sport/+'");
    assertRejected("sport/#", TopicRule.NO_WILDCARD_IN_TOPIC_NAME, "[MQTT-4.7.0-1]");
    assertRejected("a+b", TopicRule.NO_WILDCARD_IN_TOPIC_NAME, "[MQTT-4.7.0-1]");
  }

  @Test
  void topicNamesMustNotContainTheNullCharacter() {
    assertRejected("a\u0000b", TopicRule.NO_NULL_CHARACTER,
        "[MQTT-4.7.3-2] must not include the null character U+0000 (at index 1): 'a\\u0000b'");
  }

  @Test
  void topicNamesMustBeWellFormedUtf8WithoutLoneSurrogates() {
    assertRejected("a\uD800", TopicRule.WELL_FORMED_UTF8, "[MQTT-1.5.4-1] must be well-formed UTF-8 (no lone surrogate) (at index 1)");
    assertRejected("\uDC00a", TopicRule.WELL_FORMED_UTF8, "[MQTT-1.5.4-1]");
    assertRejected("\uDBFF\uDBFF\uDC00", TopicRule.WELL_FORMED_UTF8, "(at index 0)");
    assertThat(TopicName.parse("emoji/\uD83D\uDE00").levels()).containsExactly("emoji", "\uD83D\uDE00");
  }

  @Test
  void topicNamesMustNotEncodeToMoreThan65535Bytes() {
    assertThat(TopicName.parse("a".repeat(65_535)).levelCount()).isEqualTo(1);
    assertRejected("a".repeat(65_536), TopicRule.MAX_LENGTH, "[MQTT-4.7.3-3]", "(65536 > 65535 bytes)");
    // 'é' is two UTF-8 bytes, '€' three, U+1F600 four: the limit counts bytes, not chars
    assertRejected("é".repeat(32_768), TopicRule.MAX_LENGTH, "(65536 > 65535 bytes)");
    assertThat(TopicName.parse("€".repeat(21_845)).levelCount()).isEqualTo(1);
    assertRejected("€".repeat(21_846), TopicRule.MAX_LENGTH, "(65538 > 65535 bytes)");
    assertRejected("\uD83D\uDE00".repeat(16_384), TopicRule.MAX_LENGTH, "(65536 > 65535 bytes)");
  }

  @Test
  void lengthAndDepthLimitsAreConfigurable() {
    TopicLimits limits = new TopicLimits(8, 3);
    assertThat(TopicName.parse("a/b/c", limits).levelCount()).isEqualTo(3);
    assertThatThrownBy(() -> TopicName.parse("a/b/c/d", limits))
        .isInstanceOf(InvalidTopicException.class)
        .hasMessage("[braid] must not have more than the maximum number of levels (4 > 3 levels): 'a/b/c/d'");
    assertThatThrownBy(() -> TopicName.parse("abcdefghi", limits))
        .hasMessage("[MQTT-4.7.3-3] must not encode to more than the maximum number of UTF-8 bytes (9 > 8 bytes): 'abcdefghi'");
    assertThatThrownBy(() -> new TopicLimits(65_536, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TopicLimits(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultDepthLimitIs256Levels() {
    assertThat(TopicName.parse("a" + "/a".repeat(255)).levelCount()).isEqualTo(256);
    assertRejected("a" + "/a".repeat(256), TopicRule.MAX_LEVELS, "(257 > 256 levels)");
  }

  @Test
  void dollarTopicsAreRecognized() {
    assertThat(TopicName.parse("$SYS/broker").isDollarTopic()).isTrue();
    assertThat(TopicName.parse("SYS/$broker").isDollarTopic()).isFalse();
  }

  @Test
  void noNormalizationIsPerformed() {
    // [MQTT-4.7.3-4] no normalization: case, spaces and composed forms are distinct topics
    assertThat(TopicName.parse("ACCOUNTS")).isNotEqualTo(TopicName.parse("accounts"));
    assertThat(TopicName.parse("a b").levels()).containsExactly("a b");
    assertThat(TopicName.parse("\u00e9")).isNotEqualTo(TopicName.parse("e\u0301"));
    assertThat(TopicName.parse("x/y")).isEqualTo(TopicName.parse("x/y")).hasToString("x/y");
  }

  private static void assertRejected(String topicName, TopicRule rule, String... messageParts) {
    assertThatThrownBy(() -> TopicName.parse(topicName))
        .isInstanceOfSatisfying(InvalidTopicException.class, e -> assertThat(e.rule()).isEqualTo(rule))
        .message().contains(messageParts);
  }
}
