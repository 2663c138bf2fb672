package io.braid.pubsub.topic;

/**
 * The rules a topic name or topic filter must satisfy, each with the MQTT 5.0 conformance id it comes from
 * (or {@code braid} for a Braid limit that MQTT leaves to the server).
 *
 * <p>Immutable; safe for any thread.
 */
public enum TopicRule {
  /** [MQTT-4.7.3-1] All Topic Names and Topic Filters MUST be at least one character long. */
  NOT_EMPTY("MQTT-4.7.3-1", "topic names and topic filters must be at least one character long"),
  /** [MQTT-1.5.4-1] Character data MUST be well-formed UTF-8: no encoding of U+D800..U+DFFF. */
  WELL_FORMED_UTF8("MQTT-1.5.4-1", "must be well-formed UTF-8 (no lone surrogate)"),
  /** [MQTT-4.7.3-2] Topic Names and Topic Filters MUST NOT include the null character (Unicode U+0000). */
  NO_NULL_CHARACTER("MQTT-4.7.3-2", "must not include the null character U+0000"),
  /** [MQTT-4.7.3-3] Topic Names and Topic Filters MUST NOT encode to more than 65,535 bytes (or the configured limit). */
  MAX_LENGTH("MQTT-4.7.3-3", "must not encode to more than the maximum number of UTF-8 bytes"),
  /** A Braid limit: at most the configured number of levels. */
  MAX_LEVELS("braid", "must not have more than the maximum number of levels"),
  /** [MQTT-4.7.0-1] The wildcard characters MUST NOT be used within a Topic Name. */
  NO_WILDCARD_IN_TOPIC_NAME("MQTT-4.7.0-1", "wildcard characters '+' and '#' must not be used within a topic name"),
  /** [MQTT-4.7.1-1] '#' MUST be on its own or follow a '/', and MUST be the last character of the filter. */
  MULTI_LEVEL_WILDCARD_LAST("MQTT-4.7.1-1", "'#' must occupy an entire level and be the last level of the filter"),
  /** [MQTT-4.7.1-2] '+' MUST occupy an entire level of the filter. */
  SINGLE_LEVEL_WILDCARD_WHOLE_LEVEL("MQTT-4.7.1-2", "'+' must occupy an entire level of the filter"),
  /** [MQTT-4.8.2-1] A shared subscription's filter MUST start with "$share/" and contain a non-empty ShareName. */
  SHARE_NAME_NOT_EMPTY("MQTT-4.8.2-1", "a shared subscription's share name must be at least one character long"),
  /** [MQTT-4.8.2-2] The ShareName MUST NOT contain '/', '+' or '#', and MUST be followed by '/' and a Topic Filter. */
  SHARE_NAME_FOLLOWED_BY_FILTER("MQTT-4.8.2-2",
      "a shared subscription's share name must not contain '+' or '#' and must be followed by '/' and a topic filter");

  private final String specId;
  private final String description;

  TopicRule(String specId, String description) {
    this.specId = specId;
    this.description = description;
  }

  /** The conformance id, e.g. {@code MQTT-4.7.1-2}, or {@code braid} for a Braid limit. */
  public String specId() {
    return specId;
  }

  /** The rule in words, as it appears in error messages. */
  public String description() {
    return description;
  }
}
