package io.braid.bench.load;

import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run against one target.
 *
 * @param target target name
 * @param connections connections asked for
 * @param connected connections whose handshake succeeded
 * @param messages echoes received during the measured period
 * @param seconds length of the measured period
 * @param latency send-to-echo nanoseconds of every echo measured
 * @param errors failed writes, wrong echoes and connections lost during the run
 * @param serverCpuNanos CPU time of the server's event loops during the measured period, -1 if unknown
 * @param clientCpuNanos CPU time of the load client's event loops during the measured period
 */
record LoadResult(String target, int connections, int connected, long messages, double seconds,
    Histogram latency, long errors, long serverCpuNanos, long clientCpuNanos) {

  /** Server event-loop CPU per echoed message in microseconds, NaN if unknown. */
  double serverCpuMicrosPerMessage() {
    return serverCpuNanos < 0 || messages == 0 ? Double.NaN : serverCpuNanos / 1000.0 / messages;
  }

  /** Share of the measured period the server's loops were on a CPU, in percent (100 per loop). */
  double serverBusyPercent() {
    return serverCpuNanos < 0 ? Double.NaN : serverCpuNanos / (seconds * 1e9) * 100;
  }

  /** Share of the measured period the client's loops were on a CPU, in percent (100 per loop). */
  double clientBusyPercent() {
    return clientCpuNanos < 0 ? Double.NaN : clientCpuNanos / (seconds * 1e9) * 100;
  }

  double messagesPerSecond() {
    return messages / seconds;
  }

  /** Latency at {@code percentile} (0-100) in microseconds. */
  double micros(double percentile) {
    return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMicros() {
    return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
  }
}
