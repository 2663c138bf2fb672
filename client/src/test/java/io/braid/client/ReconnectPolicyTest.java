package io.braid.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

  private final ReconnectPolicy policy = new ReconnectPolicy(100, 30_000, 0);

  @Test
  void theDelayDoublesWithEachAttempt() {
    assertThat(policy.delayMillis(1, 0.999_999)).isEqualTo(99);
    assertThat(policy.delayMillis(2, 0.999_999)).isEqualTo(199);
    assertThat(policy.delayMillis(5, 0.999_999)).isEqualTo(1_599);
  }

  @Test
  void theDelayStopsGrowingAtTheMaximum() {
    assertThat(policy.delayMillis(20, 0.999_999)).isEqualTo(29_999);
    assertThat(policy.delayMillis(Integer.MAX_VALUE, 0.999_999)).isEqualTo(29_999);
  }

  @Test
  void jitterDrawsBetweenHalfTheDelayAndAllOfIt() {
    assertThat(policy.delayMillis(3, 0.0)).isEqualTo(200);
    assertThat(policy.delayMillis(3, 0.5)).isEqualTo(300);
  }

  @Test
  void neverDoesNotReconnect() {
    assertThat(ReconnectPolicy.NEVER.enabled()).isFalse();
    assertThat(ReconnectPolicy.DEFAULT.enabled()).isTrue();
  }

  @Test
  void rejectsAMaximumBelowTheInitialDelay() {
    assertThatThrownBy(() -> new ReconnectPolicy(1_000, 10, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
