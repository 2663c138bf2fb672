package io.braid.pubsub.topic;

import java.util.List;

/**
 * A validated MQTT topic name: the topic a message is published to (MQTT 5.0 §4.7). Non-empty, well-formed UTF-8,
 * no U+0000, within {@link TopicLimits}, and free of wildcards [MQTT-4.7.0-1]. Levels are split on {@code /};
 * empty levels are legal ({@code "/a//b/"} has five levels).
 *
 * <p>Immutable; safe for any thread. Parse once per publish and match as often as needed: the levels are split
 * here, not during matching.
 */
public final class TopicName {

  private final String topicName;
  private final String[] levels;

  private TopicName(String topicName, String[] levels) {
    this.topicName = topicName;
    this.levels = levels;
  }

  /** Parses with {@link TopicLimits#DEFAULTS}; throws {@link InvalidTopicException} naming the broken rule. */
  public static TopicName parse(String topicName) {
    return parse(topicName, TopicLimits.DEFAULTS);
  }

  /** Parses with the given limits; throws {@link InvalidTopicException} naming the broken rule. */
  public static TopicName parse(String topicName, TopicLimits limits) {
    TopicSyntax.checkCharacters(topicName, limits);
    return new TopicName(topicName, TopicSyntax.topicNameLevels(topicName, limits));
  }

  /**
   * True for a topic starting with {@code $} (e.g. {@code $SYS/...}): filters that start with a wildcard do not
   * match it [MQTT-4.7.2-1].
   */
  public boolean isDollarTopic() {
    return topicName.charAt(0) == '$';
  }

  /** The levels, in order. */
  public List<String> levels() {
    return List.of(levels);
  }

  /** The number of levels (at least 1). */
  public int levelCount() {
    return levels.length;
  }

  /** The level at {@code index}, without copying. */
  String level(int index) {
    return levels[index];
  }

  /** The topic name as given. */
  public String asString() {
    return topicName;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TopicName that && topicName.equals(that.topicName);
  }

  @Override
  public int hashCode() {
    return topicName.hashCode();
  }

  @Override
  public String toString() {
    return topicName;
  }
}
