package io.braid.pubsub.topic;

/**
 * Size limits applied when parsing topic names and filters.
 *
 * <p>{@link #DEFAULTS} allows the MQTT maximum of 65,535 UTF-8 bytes [MQTT-4.7.3-3] and at most
 * {@value #DEFAULT_MAX_LEVELS} levels: MQTT sets no depth limit, but matching walks one level at a time, so a safe
 * default bounds the work (and stack) a single publish can cost. Immutable; safe for any thread.
 *
 * @param maxLengthBytes the longest accepted topic in UTF-8 bytes, 1..65,535
 * @param maxLevels      the most {@code /}-separated levels accepted (for a shared subscription: in the filter after
 *                       {@code $share/{group}/}), at least 1
 */
public record TopicLimits(int maxLengthBytes, int maxLevels) {

  /** The MQTT maximum length of a UTF-8 encoded string. */
  public static final int MQTT_MAX_LENGTH_BYTES = 65_535;
  /** Braid's default depth limit. */
  public static final int DEFAULT_MAX_LEVELS = 256;
  /** 65,535 bytes and {@value #DEFAULT_MAX_LEVELS} levels. */
  public static final TopicLimits DEFAULTS = new TopicLimits(MQTT_MAX_LENGTH_BYTES, DEFAULT_MAX_LEVELS);

  public TopicLimits {
    if (maxLengthBytes < 1 || maxLengthBytes > MQTT_MAX_LENGTH_BYTES) {
      throw new IllegalArgumentException("maxLengthBytes must be in 1.." + MQTT_MAX_LENGTH_BYTES + ": " + maxLengthBytes);
    }
    if (maxLevels < 1) {
      throw new IllegalArgumentException("maxLevels must be at least 1: " + maxLevels);
    }
  }
}
