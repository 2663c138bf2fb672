package io.braid.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void allowsABurstOfOneSecondsWorthThenTheRate() {
    TokenBucket bucket = new TokenBucket(10, 0);

    int burst = 0;
    while (bucket.tryAcquire(0)) {
      burst++;
    }
    assertThat(burst).isEqualTo(10);
    assertThat(bucket.tryAcquire(SECOND / 10 - 1)).isFalse();
    assertThat(bucket.tryAcquire(SECOND / 10)).isTrue();
  }

  @Test
  void doesNotSaveMoreThanOneSecondOfTokens() {
    TokenBucket bucket = new TokenBucket(5, 0);
    long later = 60 * SECOND;

    int burst = 0;
    while (bucket.tryAcquire(later)) {
      burst++;
    }
    assertThat(burst).isEqualTo(5);
    assertThat(bucket.isFull(later)).isFalse();
    assertThat(bucket.isFull(later + SECOND)).isTrue();
  }

  @Test
  void aRateOfZeroIsUnlimited() {
    TokenBucket bucket = new TokenBucket(0, 0);

    for (int i = 0; i < 1_000_000; i++) {
      assertThat(bucket.tryAcquire(0)).isTrue();
    }
  }

  @Test
  void aBurstLargerThanTheRateIsTakenAtOnceThenTheRateApplies() {
    TokenBucket bucket = new TokenBucket(10, 1_000, 0);

    int burst = 0;
    while (bucket.tryAcquire(0)) {
      burst++;
    }
    assertThat(burst).isEqualTo(1_000);
    assertThat(bucket.tryAcquire(SECOND / 10)).isTrue();
    assertThat(bucket.tryAcquire(SECOND / 10)).isFalse();
  }

  @Test
  void reserveTakesATokenOnCreditAndSaysHowLongUntilItWouldHaveBeenThere() {
    TokenBucket bucket = new TokenBucket(10, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(bucket.reserve(0)).as("token %d of the burst", i).isZero();
    }

    assertThat(bucket.reserve(0)).isEqualTo(SECOND / 10);
    assertThat(bucket.reserve(0)).isEqualTo(2 * SECOND / 10);
    assertThat(bucket.reserve(SECOND)).as("the debt is paid by the time it would have been").isEqualTo(0);
  }
}
