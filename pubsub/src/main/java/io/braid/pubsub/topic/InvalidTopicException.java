package io.braid.pubsub.topic;

/**
 * A topic name or topic filter broke a {@link TopicRule}. The message reads
 * {@code "[MQTT-4.7.1-2] '+' must occupy an entire level of the filter: 'sport+'"} (long topics are shortened,
 * a null character is shown escaped). Immutable.
 */
public final class InvalidTopicException extends IllegalArgumentException {

  private static final int MAX_QUOTED_CHARS = 80;

  private final TopicRule rule;

  InvalidTopicException(TopicRule rule, String detail, String topic) {
    super("[" + rule.specId() + "] " + rule.description() + detail + ": " + quote(topic));
    this.rule = rule;
  }

  /** The rule that was broken. */
  public TopicRule rule() {
    return rule;
  }

  private static String quote(String topic) {
    String shown = topic.length() <= MAX_QUOTED_CHARS ? topic : topic.substring(0, MAX_QUOTED_CHARS) + "...";
    return "'" + shown.replace("\u0000", "\\u0000") + "'";
  }
}
