package io.braid.pubsub.topic;

/**
 * The checks shared by {@link TopicName} and {@link TopicFilter}: one pass over the characters for UTF-8, NUL and
 * length, then one pass for levels and wildcards. Stateless.
 */
final class TopicSyntax {

  static final char LEVEL_SEPARATOR = '/';
  static final char SINGLE_LEVEL_WILDCARD = '+';
  static final char MULTI_LEVEL_WILDCARD = '#';
  static final String SHARED_PREFIX = "$share/";

  private TopicSyntax() {
  }

  /** Checks the rules every topic name and topic filter shares, on the whole string. */
  static void checkCharacters(String topic, TopicLimits limits) {
    // [MQTT-4.7.3-1] All Topic Names and Topic Filters MUST be at least one character long
    if (topic.isEmpty()) {
      throw new InvalidTopicException(TopicRule.NOT_EMPTY, "", topic);
    }
    long utf8Bytes = 0;
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '\u0000') {
        // [MQTT-4.7.3-2] Topic Names and Topic Filters MUST NOT include the null character
        throw new InvalidTopicException(TopicRule.NO_NULL_CHARACTER, " (at index " + i + ")", topic);
      } else if (c < 0x80) {
        utf8Bytes += 1;
      } else if (c < 0x800) {
        utf8Bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < topic.length()
          && Character.isLowSurrogate(topic.charAt(i + 1))) {
        utf8Bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        // [MQTT-1.5.4-1] the data MUST NOT include encodings of code points between U+D800 and U+DFFF
        throw new InvalidTopicException(TopicRule.WELL_FORMED_UTF8, " (at index " + i + ")", topic);
      } else {
        utf8Bytes += 3;
      }
    }
    // [MQTT-4.7.3-3] Topic Names and Topic Filters MUST NOT encode to more than 65,535 bytes
    if (utf8Bytes > limits.maxLengthBytes()) {
      throw new InvalidTopicException(TopicRule.MAX_LENGTH,
          " (" + utf8Bytes + " > " + limits.maxLengthBytes() + " bytes)", shorten(topic));
    }
  }

  /** Checks a topic name's levels and splits it; {@link #checkCharacters} has passed. */
  static String[] topicNameLevels(String topicName, TopicLimits limits) {
    for (int i = 0; i < topicName.length(); i++) {
      char c = topicName.charAt(i);
      if (c == SINGLE_LEVEL_WILDCARD || c == MULTI_LEVEL_WILDCARD) {
        // [MQTT-4.7.0-1] The wildcard characters MUST NOT be used within a Topic Name
        throw new InvalidTopicException(TopicRule.NO_WILDCARD_IN_TOPIC_NAME, " (at index " + i + ")", topicName);
      }
    }
    return split(topicName, topicName, limits);
  }

  /**
   * Checks a (non-shared, or the part after {@code $share/{group}/}) topic filter's levels and splits it;
   * {@code whole} is the string as given, for the error message.
   */
  static String[] topicFilterLevels(String filter, String whole, TopicLimits limits) {
    int last = filter.length() - 1;
    for (int i = 0; i <= last; i++) {
      char c = filter.charAt(i);
      boolean levelStart = i == 0 || filter.charAt(i - 1) == LEVEL_SEPARATOR;
      if (c == SINGLE_LEVEL_WILDCARD) {
        // [MQTT-4.7.1-2] where '+' is used, it MUST occupy an entire level of the filter
        boolean levelEnd = i == last || filter.charAt(i + 1) == LEVEL_SEPARATOR;
        if (!levelStart || !levelEnd) {
          throw new InvalidTopicException(TopicRule.SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL, "", whole);
        }
      } else if (c == MULTI_LEVEL_WILDCARD) {
        // [MQTT-4.7.1-1] '#' MUST be on its own or following a '/', and MUST be the last character
        if (!levelStart || i != last) {
          throw new InvalidTopicException(TopicRule.MULTI_LEVEL_WILDCARD_LAST, "", whole);
        }
      }
    }
    return split(filter, whole, limits);
  }

  private static String[] split(String topic, String whole, TopicLimits limits) {
    int levels = 1;
    for (int i = 0; i < topic.length(); i++) {
      if (topic.charAt(i) == LEVEL_SEPARATOR) {
        levels++;
      }
    }
    if (levels > limits.maxLevels()) {
      throw new InvalidTopicException(TopicRule.MAX_LEVELS,
          " (" + levels + " > " + limits.maxLevels() + " levels)", shorten(whole));
    }
    String[] result = new String[levels];
    int start = 0;
    for (int level = 0; level < levels - 1; level++) {
      int end = topic.indexOf(LEVEL_SEPARATOR, start);
      result[level] = topic.substring(start, end);
      start = end + 1;
    }
    result[levels - 1] = topic.substring(start);
    return result;
  }

  private static String shorten(String topic) {
    return topic.length() <= 80 ? topic : topic.substring(0, 80);
  }
}
