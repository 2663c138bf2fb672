package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequence numbers an application received, per topic, in arrival order, and the rules of each QoS over them:
 * QoS 1 loses nothing and keeps order (a redelivery may repeat what came before), QoS 2 in addition delivers nothing
 * twice. Thread safe.
 */
final class TopicLog {

  private final Map<String, List<Integer>> received = new LinkedHashMap<>();

  synchronized void add(String topic, int sequence) {
    received.computeIfAbsent(topic, t -> new ArrayList<>()).add(sequence);
  }

  /** Parses lines of "topic sequence" into a log. */
  static TopicLog parse(List<String> lines) {
    TopicLog log = new TopicLog();
    for (String line : lines) {
      String[] parts = line.split(" ");
      if (parts.length == 2) { // a line cut short by a kill has no sequence yet
        log.add(parts[0], Integer.parseInt(parts[1]));
      }
    }
    return log;
  }

  synchronized List<Integer> of(String topic) {
    return List.copyOf(received.getOrDefault(topic, List.of()));
  }

  /** Distinct sequence numbers received on {@code topic}. */
  synchronized int distinct(String topic) {
    return new HashSet<>(of(topic)).size();
  }

  /** For a failure message: per topic, which of {@code 1..count} never came. */
  synchronized Map<String, List<Integer>> missing(List<String> topics, int count) {
    Map<String, List<Integer>> missing = new LinkedHashMap<>();
    for (String topic : topics) {
      Set<Integer> seen = new HashSet<>(of(topic));
      List<Integer> absent = new ArrayList<>();
      for (int sequence = 1; sequence <= count; sequence++) {
        if (!seen.contains(sequence)) {
          absent.add(sequence);
        }
      }
      missing.put(topic, absent);
    }
    return missing;
  }

  /** QoS 1: every one of {@code 1..count} came, and each first came after every smaller one. */
  void assertAtLeastOnceInOrder(String topic, int count) {
    List<Integer> sequences = of(topic);
    List<Integer> firsts = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (int sequence : sequences) {
      if (seen.add(sequence)) {
        firsts.add(sequence);
      }
    }
    assertThat(firsts).as("first arrivals on %s", topic).isSorted();
    assertThat(seen).as("distinct sequences on %s", topic).hasSize(count);
  }

  /**
   * QoS 2: nothing twice, in order, and of {@code 1..count} at most {@code mayMiss} missing.
   *
   * @return how many were missing
   */
  int assertAtMostOnceInOrder(String topic, int count, int mayMiss) {
    List<Integer> sequences = of(topic);
    assertThat(sequences).as("deliveries on %s", topic).doesNotHaveDuplicates().isSorted();
    assertThat(sequences).allSatisfy(sequence -> assertThat(sequence).isBetween(1, count));
    int missing = count - sequences.size();
    assertThat(missing).as("missing on %s", topic).isLessThanOrEqualTo(mayMiss);
    return missing;
  }
}
