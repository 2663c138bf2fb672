package io.braid.bench.load;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the connections of one run record into: latencies in a wait-free HdrHistogram
 * {@link Recorder} and counts in adders, so any event loop may record while the progress thread
 * takes one interval at a time.
 *
 * <p>Thread safe.
 */
final class Meter {
  private final Recorder latency = new Recorder(3);
  private final LongAdder received = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private volatile boolean stopping;

  void record(long nanos) {
    latency.recordValue(nanos);
    received.increment();
  }

  void error() {
    errors.increment();
  }

  long errors() {
    return errors.sum();
  }

  /** Tells connections to send no more. */
  void stop() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  /** The latencies recorded since the last call; {@code recycle} may be the previous result. */
  Histogram takeInterval(Histogram recycle) {
    return latency.getIntervalHistogram(recycle);
  }

  /** The echoes counted since the last call. */
  long takeReceived() {
    return received.sumThenReset();
  }
}
