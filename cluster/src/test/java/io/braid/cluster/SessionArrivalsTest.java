package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.SessionUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionArrivalsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private final SessionArrivals arrivals = new SessionArrivals(50);

  @Test
  void aSecondRequestForASessionOnItsWayJoinsTheFirstTransfer() {
    AtomicInteger transfers = new AtomicInteger();
    CompletableFuture<Void> transfer = new CompletableFuture<>();

    CompletableFuture<Void> first = arrivals.bring("c", "a", () -> {
      transfers.incrementAndGet();
      return transfer;
    });
    CompletableFuture<Void> second = arrivals.bring("c", "a", () -> {
      transfers.incrementAndGet();
      return new CompletableFuture<>();
    });
    transfer.complete(null);

    assertThat(transfers).hasValue(1);
    assertThat(first).succeedsWithin(WAIT);
    assertThat(second).succeedsWithin(WAIT);
  }

  @Test
  void aClientThatWaitedItsTimeIsRefusedForNowWhileTheArrivalGoesOn() {
    CompletableFuture<Void> transfer = new CompletableFuture<>();
    CompletableFuture<Void> arrival = arrivals.bring("c", "a", () -> transfer);

    assertThat(arrivals.clientWait("c", arrival)).failsWithin(WAIT).withThrowableThat()
        .havingRootCause().isInstanceOf(SessionUnavailableException.class);
    assertThat(arrival).isNotDone();
    assertThat(arrivals.settled("c")).isNotDone();

    transfer.complete(null);
    assertThat(arrival).succeedsWithin(WAIT);
    assertThat(arrivals.settled("c")).isDone();
  }

  @Test
  void anArrivalFromANodeThatLeftIsNotWaitedFor() {
    CompletableFuture<Void> fromA = arrivals.bring("c", "a", CompletableFuture::new);
    CompletableFuture<Void> fromB = arrivals.bring("d", "b", CompletableFuture::new);

    arrivals.nodeLeft("a");

    assertThat(fromA).failsWithin(WAIT).withThrowableThat().havingRootCause()
        .isInstanceOf(SessionUnavailableException.class);
    assertThat(arrivals.settled("c")).isDone();
    assertThat(fromB).isNotDone();
  }

  @Test
  void aFailedArrivalIsSettledAndANewOneMayStart() {
    CompletableFuture<Void> failed = arrivals.bring("c", "a",
        () -> CompletableFuture.failedFuture(new SessionUnavailableException("refused")));

    assertThat(arrivals.clientWait("c", failed)).failsWithin(WAIT).withThrowableThat()
        .havingRootCause().isInstanceOf(SessionUnavailableException.class).withMessage("refused");
    assertThat(arrivals.settled("c")).isDone();
    assertThat(arrivals.bring("c", "a", () -> CompletableFuture.completedFuture(null))).succeedsWithin(WAIT);
  }
}
