package io.braid.server.auth;

import java.util.List;

/**
 * Set relations between MQTT topic filters, by level: whether every topic one filter matches is matched by another
 * ({@link #covers}), and whether two filters match any topic in common ({@link #intersect}). Both follow MQTT's
 * matching: {@code +} is one level, {@code #} the rest including none ({@code a/#} matches {@code a}), and a filter
 * starting with a wildcard matches no topic starting with {@code $} [MQTT-4.7.2-1].
 */
final class TopicPatterns {

  private TopicPatterns() {
  }

  /** Whether {@code rule} matches every topic {@code filter} matches. */
  static boolean covers(List<String> rule, List<String> filter) {
    if (dollarFirst(filter) && wildcardFirst(rule)) {
      return false;
    }
    for (int i = 0; ; i++) {
      if (i < rule.size() && rule.get(i).equals("#")) {
        return true;
      }
      if (i == filter.size()) {
        return i == rule.size();
      }
      if (i == rule.size()) {
        return false;
      }
      String want = filter.get(i);
      String have = rule.get(i);
      if (want.equals("#")) {
        // only '#' covers '#' (handled above), but for a whole filter '#' (topics of one level or more), so does
        // '+/#' (one level, then any)
        return i == 0 && rule.size() == 2 && rule.get(0).equals("+") && rule.get(1).equals("#");
      }
      if (have.equals("+")) {
        continue; // covers one level, literal or '+'
      }
      if (want.equals("+") || !have.equals(want)) {
        return false;
      }
    }
  }

  /** Whether some topic is matched by both {@code a} and {@code b}. */
  static boolean intersect(List<String> a, List<String> b) {
    if (dollarFirst(a) && wildcardFirst(b) || dollarFirst(b) && wildcardFirst(a)) {
      return false;
    }
    for (int i = 0; ; i++) {
      boolean aEnded = i == a.size();
      boolean bEnded = i == b.size();
      if (!aEnded && a.get(i).equals("#") || !bEnded && b.get(i).equals("#")) {
        return true;
      }
      if (aEnded || bEnded) {
        return aEnded && bEnded;
      }
      String x = a.get(i);
      String y = b.get(i);
      if (!x.equals("+") && !y.equals("+") && !x.equals(y)) {
        return false;
      }
    }
  }

  /** Whether {@code filter} matches {@code topic} (a topic name has no wildcards). */
  static boolean matches(List<String> filter, List<String> topic) {
    return covers(filter, topic);
  }

  private static boolean dollarFirst(List<String> levels) {
    return !levels.isEmpty() && levels.get(0).startsWith("$");
  }

  private static boolean wildcardFirst(List<String> levels) {
    return !levels.isEmpty() && (levels.get(0).equals("+") || levels.get(0).equals("#"));
  }
}
