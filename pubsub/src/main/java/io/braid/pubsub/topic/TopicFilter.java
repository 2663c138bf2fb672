package io.braid.pubsub.topic;

import java.util.List;
import java.util.Optional;

/**
 * A validated MQTT topic filter, the expression a subscription is made with (MQTT 5.0 §4.7, §4.8.2): levels split
 * on {@code /}, {@code +} matching exactly one level, {@code #} matching the parent level and any number of levels
 * below it. A filter of the form {@code $share/{group}/{filter}} is a shared subscription: {@link #shareGroup()} is
 * the group and {@link #levels()} are those of the filter after it.
 *
 * <p>Immutable; safe for any thread. Equality is on the string as given (no normalization [MQTT-4.7.3-4]).
 */
public final class TopicFilter {

  private final String topicFilter;
  private final String shareGroup;
  private final String[] levels;

  private TopicFilter(String topicFilter, String shareGroup, String[] levels) {
    this.topicFilter = topicFilter;
    this.shareGroup = shareGroup;
    this.levels = levels;
  }

  /** Parses with {@link TopicLimits#DEFAULTS}; throws {@link InvalidTopicException} naming the broken rule. */
  public static TopicFilter parse(String topicFilter) {
    return parse(topicFilter, TopicLimits.DEFAULTS);
  }

  /**
   * Parses with the given limits; throws {@link InvalidTopicException} naming the broken rule. The length limit
   * applies to the whole string, the level limit to the filter after {@code $share/{group}/}.
   */
  public static TopicFilter parse(String topicFilter, TopicLimits limits) {
    TopicSyntax.checkCharacters(topicFilter, limits);
    if (!topicFilter.startsWith(TopicSyntax.SHARED_PREFIX)) {
      return new TopicFilter(topicFilter, null, TopicSyntax.topicFilterLevels(topicFilter, topicFilter, limits));
    }
    String rest = topicFilter.substring(TopicSyntax.SHARED_PREFIX.length());
    int slash = rest.indexOf(TopicSyntax.LEVEL_SEPARATOR);
    String group = slash < 0 ? rest : rest.substring(0, slash);
    // [MQTT-4.8.2-1] ... MUST contain a ShareName that is at least one character long
    if (group.isEmpty()) {
      throw new InvalidTopicException(TopicRule.SHARE_NAME_NOT_EMPTY, "", topicFilter);
    }
    // [MQTT-4.8.2-2] The ShareName MUST NOT contain "/", "+" or "#", but MUST be followed by a "/" character.
    // This "/" character MUST be followed by a Topic Filter
    if (slash < 0 || slash == rest.length() - 1
        || group.indexOf(TopicSyntax.SINGLE_LEVEL_WILDCARD) >= 0
        || group.indexOf(TopicSyntax.MULTI_LEVEL_WILDCARD) >= 0) {
      throw new InvalidTopicException(TopicRule.SHARE_NAME_FOLLOWED_BY_FILTER, "", topicFilter);
    }
    String filter = rest.substring(slash + 1);
    return new TopicFilter(topicFilter, group, TopicSyntax.topicFilterLevels(filter, topicFilter, limits));
  }

  /** True for {@code $share/{group}/{filter}}. */
  public boolean isShared() {
    return shareGroup != null;
  }

  /** The share group of a shared subscription; empty otherwise. */
  public Optional<String> shareGroup() {
    return Optional.ofNullable(shareGroup);
  }

  /** The filter topics are matched against: the whole filter, or for a shared subscription the part after the group. */
  public String matchingFilter() {
    return isShared() ? String.join("/", levels) : topicFilter;
  }

  /** The levels of {@link #matchingFilter()}, in order. */
  public List<String> levels() {
    return List.of(levels);
  }

  /** The number of levels of {@link #matchingFilter()} (at least 1). */
  public int levelCount() {
    return levels.length;
  }

  /** The level at {@code index}, without copying. */
  String level(int index) {
    return levels[index];
  }

  /** True when {@link #matchingFilter()} starts with {@code +} or {@code #}: such a filter never matches a $-topic [MQTT-4.7.2-1]. */
  public boolean startsWithWildcard() {
    return levels[0].equals("+") || levels[0].equals("#");
  }

  /** True when {@link #matchingFilter()} has no wildcard: it matches exactly one topic, the one it names. */
  public boolean isTopicName() {
    for (String level : levels) {
      if (level.equals("+") || level.equals("#")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@link #matchingFilter()} matches {@code topic} (MQTT 5.0 §4.7). Not for the publish path. */
  public boolean matches(TopicName topic) {
    return NaiveMatcher.matches(matchingFilter(), topic.asString());
  }

  /** The filter as given, including any {@code $share/{group}/} prefix. */
  public String asString() {
    return topicFilter;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TopicFilter that && topicFilter.equals(that.topicFilter);
  }

  @Override
  public int hashCode() {
    return topicFilter.hashCode();
  }

  @Override
  public String toString() {
    return topicFilter;
  }
}
