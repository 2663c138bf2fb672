package io.braid.bench.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the broker's own counters say about a run: its durable store's group commits and the broker process's CPU
 * time, read before and after and subtracted ({@link #since}), so that a run's throughput can be put next to how
 * many commits carried it, how long each took, and how much CPU each delivery cost the broker.
 *
 * @param nanos when the snapshot was taken ({@link System#nanoTime()})
 * @param commits group commits so far
 * @param commitSeconds time spent writing commits so far
 * @param forces forces (fsyncs) so far
 * @param forceSeconds time spent forcing so far
 * @param cpuSeconds the broker process's CPU time so far (user + system, every thread)
 * @param clusterReceived messages received from other nodes of a cluster so far (0 unclustered)
 */
record BrokerCounters(long nanos, long commits, double commitSeconds, long forces, double forceSeconds,
    double cpuSeconds, long clusterReceived) {

  private static final Pattern COMMITS = metric("braid_store_commit_seconds_count");
  private static final Pattern COMMIT_SECONDS = metric("braid_store_commit_seconds_sum");
  private static final Pattern FORCES = metric("braid_store_force_seconds_count");
  private static final Pattern FORCE_SECONDS = metric("braid_store_force_seconds_sum");
  private static final Pattern CLUSTER_RECEIVED = metric("braid_cluster_received_total");

  /** Parses the counters from the broker's Prometheus text and its process CPU time. */
  static BrokerCounters parse(String prometheus, double cpuSeconds) {
    return new BrokerCounters(System.nanoTime(), (long) value(COMMITS, prometheus), value(COMMIT_SECONDS, prometheus),
        (long) value(FORCES, prometheus), value(FORCE_SECONDS, prometheus), cpuSeconds,
        (long) value(CLUSTER_RECEIVED, prometheus));
  }

  /** The counters of the interval from {@code earlier} to this snapshot. */
  BrokerCounters since(BrokerCounters earlier) {
    return new BrokerCounters(nanos - earlier.nanos, commits - earlier.commits, commitSeconds - earlier.commitSeconds,
        forces - earlier.forces, forceSeconds - earlier.forceSeconds, cpuSeconds - earlier.cpuSeconds,
        clusterReceived - earlier.clusterReceived);
  }

  /** For an interval: its length in seconds. */
  double seconds() {
    return nanos / 1e9;
  }

  /** For an interval: group commits a second. */
  double commitsPerSecond() {
    return commits / seconds();
  }

  /** For an interval: the mean commit in microseconds, NaN without one. */
  double meanCommitMicros() {
    return commits == 0 ? Double.NaN : commitSeconds * 1e6 / commits;
  }

  /** For an interval: forces a second. */
  double forcesPerSecond() {
    return forces / seconds();
  }

  /** For an interval: the mean force in microseconds, NaN without one. */
  double meanForceMicros() {
    return forces == 0 ? Double.NaN : forceSeconds * 1e6 / forces;
  }

  /** For an interval: the broker's CPU, in percent of one core (200 is both cores of this machine). */
  double cpuPercent() {
    return cpuSeconds / seconds() * 100;
  }

  private static Pattern metric(String name) {
    return Pattern.compile("^" + name + "(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
  }

  private static double value(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
