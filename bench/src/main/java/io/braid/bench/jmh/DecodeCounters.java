package io.braid.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary results of the decode benchmarks. JMH divides each field by the measured time, so they
 * print as rates next to the primary ops/s: {@code payloadBytes} is unmasked payload delivered per
 * second, {@code frames} is frames delivered per second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class DecodeCounters {
  public long payloadBytes;
  public long frames;

  @Setup(Level.Iteration)
  public void reset() {
    payloadBytes = 0;
    frames = 0;
  }

  /** Counts one decoded input of {@code frameCount} frames and {@code bytes} of payload. */
  int count(int frameCount, long bytes) {
    frames += frameCount;
    payloadBytes += bytes;
    return frameCount;
  }
}
