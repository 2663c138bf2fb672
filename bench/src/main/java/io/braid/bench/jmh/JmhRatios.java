package io.braid.bench.jmh;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the Braid/Netty table from a JMH JSON result file ({@code -rf json -rff FILE}): for each
 * benchmark class and parameter set, the ops/s of Braid's copying and in-place decoders and of
 * Netty's with their 99.9% error, payload MB/s (from the {@link DecodeCounters} secondary result)
 * and the ratios of the primary scores. The target is judged on the in-place decoder, the one
 * Braid's server runs.
 *
 * <pre>java -cp braid-benchmarks.jar io.braid.bench.jmh.JmhRatios jmh-result.json</pre>
 */
public final class JmhRatios {
  private JmhRatios() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: JmhRatios <jmh-result.json>");
      System.exit(2);
    }
    JsonArray results = new JsonArray(Files.readString(Path.of(args[0])));
    // case -> decoder -> result
    Map<String, Map<String, JsonObject>> cases = new LinkedHashMap<>();
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      String benchmark = r.getString("benchmark");
      int dot = benchmark.lastIndexOf('.');
      String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
      String decoder = benchmark.substring(dot + 1);
      JsonObject params = r.getJsonObject("params", new JsonObject());
      String key = className + " " + new TreeMap<>(params.getMap());
      cases.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(decoder, r);
    }
    System.out.println("| benchmark | params | Braid copying ops/s | Braid in place ops/s | Netty ops/s"
        + " | Braid copying MB/s | Braid in place MB/s | Netty MB/s | copying/Netty | in place/Netty | target met (in place) |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Map.Entry<String, Map<String, JsonObject>> e : cases.entrySet()) {
      JsonObject braid = e.getValue().get("braid");
      JsonObject inPlace = e.getValue().get("braidInPlace");
      JsonObject netty = e.getValue().get("netty");
      if (netty == null) {
        continue;
      }
      String[] parts = e.getKey().split(" ", 2);
      double n = score(netty);
      JsonObject judged = inPlace != null ? inPlace : braid;
      System.out.printf("| %s | %s | %s | %s | %,.0f ± %,.0f | %s | %s | %,.0f | %s | %s | %s |%n", parts[0],
          parts[1].replaceAll("[{}]", ""), withError(braid), withError(inPlace), n, error(netty),
          megabytes(braid), megabytes(inPlace), megabytesOf(netty), ratio(braid, n), ratio(inPlace, n),
          judged == null ? "-" : score(judged) >= n ? "yes" : "**no**");
    }
  }

  private static String withError(JsonObject result) {
    return result == null ? "-" : String.format("%,.0f ± %,.0f", score(result), error(result));
  }

  private static String ratio(JsonObject result, double netty) {
    return result == null ? "-" : String.format("%.2f", score(result) / netty);
  }

  private static String megabytes(JsonObject result) {
    return result == null ? "-" : String.format("%,.0f", megabytesOf(result));
  }

  private static double score(JsonObject result) {
    return result.getJsonObject("primaryMetric").getDouble("score");
  }

  private static double error(JsonObject result) {
    // JMH writes "NaN" (a string) when there are too few iterations for an error.
    Object error = result.getJsonObject("primaryMetric").getValue("scoreError");
    return error instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : 0;
  }

  /** Payload MB/s (10^6 bytes) from the payloadBytes counter, or NaN when absent. */
  private static double megabytesOf(JsonObject result) {
    JsonObject secondary = result.getJsonObject("secondaryMetrics", new JsonObject());
    JsonObject bytes = secondary.getJsonObject("payloadBytes");
    return bytes == null ? Double.NaN : bytes.getDouble("score") / 1e6;
  }
}
