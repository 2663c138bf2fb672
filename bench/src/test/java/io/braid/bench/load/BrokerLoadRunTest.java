package io.braid.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker load run against a real broker in a child JVM: open loop keeps its rate, closed loop delivers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerLoadRunTest {

  @Test
  void openLoopPublishersSendAtTheRateAskedFor() throws Exception {
    try (BrokerProcess broker = BrokerProcess.start("512m", 1)) {
      BrokerLoadRun.Result result = new BrokerLoadRun(BrokerLoadRun.Scenario.named("one-to-one"), 0, broker.port(),
          1, 3, 1, LoadClient.Kind.ENDPOINT, 2_000).run();
      // the rate is held over the measured seconds, however the deliveries fall within them
      assertThat(result.deliveriesPerSecond()).isBetween(1_700.0, 2_300.0);
      assertThat(result.latency().getTotalCount()).isEqualTo(result.deliveries());
      assertThat(result.micros(50)).isPositive();
    }
  }
}
