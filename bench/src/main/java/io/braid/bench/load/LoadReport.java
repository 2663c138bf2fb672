package io.braid.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Prints load results as Markdown tables: every run, then Braid against Vert.x per connection
 * count. With several rounds the comparison uses each target's median over the rounds and shows
 * the range beside it, since on a shared machine the spread between runs is part of the result.
 */
final class LoadReport {
  private LoadReport() {}

  static void print(PrintStream out, List<LoadResult> results) {
    out.println("| connections | server | connected | msgs/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | errors"
        + " | server CPU µs/msg | server loops busy | client loops busy |");
    out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (LoadResult r : results) {
      out.printf("| %,d | %s | %,d | %,.0f | %s | %s | %s | %s | %s | %d | %s | %s | %s |%n", r.connections(), r.target(),
          r.connected(), r.messagesPerSecond(), us(r.micros(50)), us(r.micros(90)), us(r.micros(99)), us(r.micros(99.9)),
          us(r.maxMicros()), r.errors(), decimal(r.serverCpuMicrosPerMessage()), percent(r.serverBusyPercent()),
          percent(r.clientBusyPercent()));
    }
    if (results.stream().anyMatch(r -> r.target().equals("braid")) && results.stream().anyMatch(r -> r.target().equals("vertx"))) {
      out.println();
      printRatios(out, results);
    }
  }

  private static void printRatios(PrintStream out, List<LoadResult> results) {
    out.println("| connections | runs each | Braid msgs/s | Vert.x msgs/s | throughput Braid/Vert.x | Braid p99 µs | Vert.x p99 µs"
        + " | p99 Braid/Vert.x | server CPU/msg Braid/Vert.x | target met |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    Set<Integer> counts = new LinkedHashSet<>();
    results.forEach(r -> counts.add(r.connections()));
    for (int n : counts) {
      List<LoadResult> braid = select(results, n, "braid");
      List<LoadResult> vertx = select(results, n, "vertx");
      if (braid.isEmpty() || vertx.isEmpty()) {
        continue;
      }
      double bRate = median(braid, LoadResult::messagesPerSecond);
      double vRate = median(vertx, LoadResult::messagesPerSecond);
      double bP99 = median(braid, r -> r.micros(99));
      double vP99 = median(vertx, r -> r.micros(99));
      double cpuRatio = median(braid, LoadResult::serverCpuMicrosPerMessage) / median(vertx, LoadResult::serverCpuMicrosPerMessage);
      boolean met = bRate >= vRate && bP99 <= vP99;
      out.printf("| %,d | %d | %s | %s | %.2f | %s | %s | %.2f | %s | %s |%n", n, Math.min(braid.size(), vertx.size()),
          withRange(bRate, braid, LoadResult::messagesPerSecond), withRange(vRate, vertx, LoadResult::messagesPerSecond),
          bRate / vRate, withRange(bP99, braid, r -> r.micros(99)), withRange(vP99, vertx, r -> r.micros(99)),
          bP99 / vP99, Double.isNaN(cpuRatio) ? "-" : String.format("%.2f", cpuRatio), met ? "yes" : "**no**");
    }
  }

  /** The median, followed by the range over the runs when there are several. */
  private static String withRange(double median, List<LoadResult> results, ToDoubleFunction<LoadResult> value) {
    if (results.size() == 1) {
      return String.format("%,.0f", median);
    }
    double min = results.stream().mapToDouble(value).min().orElse(Double.NaN);
    double max = results.stream().mapToDouble(value).max().orElse(Double.NaN);
    return String.format("%,.0f (%,.0f–%,.0f)", median, min, max);
  }

  private static List<LoadResult> select(List<LoadResult> results, int connections, String target) {
    List<LoadResult> selected = new ArrayList<>();
    for (LoadResult r : results) {
      if (r.connections() == connections && r.target().equals(target)) {
        selected.add(r);
      }
    }
    return selected;
  }

  private static double median(List<LoadResult> results, ToDoubleFunction<LoadResult> value) {
    List<LoadResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparingDouble(value));
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? value.applyAsDouble(sorted.get(mid))
        : (value.applyAsDouble(sorted.get(mid - 1)) + value.applyAsDouble(sorted.get(mid))) / 2;
  }

  private static String decimal(double value) {
    return Double.isNaN(value) ? "-" : String.format("%.2f", value);
  }

  private static String percent(double value) {
    return Double.isNaN(value) ? "-" : String.format("%.0f%%", value);
  }

  private static String us(double micros) {
    return Double.isNaN(micros) ? "-" : String.format("%,.0f", micros);
  }
}
