package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.broker.SessionUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionsInTransitTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private final SessionsInTransit transfers = new SessionsInTransit(50);

  @Test
  void aSecondTransferOfASessionOnItsWayJoinsTheFirst() {
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<Void> transfer = new CompletableFuture<>();

    CompletableFuture<Void> first = transfers.start("c", "a", () -> {
      started.incrementAndGet();
      return transfer;
    });
    CompletableFuture<Void> second = transfers.start("c", "a", () -> {
      started.incrementAndGet();
      return new CompletableFuture<>();
    });
    transfer.complete(null);

    assertThat(started).hasValue(1);
    assertThat(first).succeedsWithin(WAIT);
    assertThat(second).succeedsWithin(WAIT);
  }

  @Test
  void aClientThatWaitedItsTimeIsRefusedForNowWhileTheTransferGoesOn() {
    CompletableFuture<Void> transfer = new CompletableFuture<>();
    CompletableFuture<Void> arrival = transfers.start("c", "a", () -> transfer);

    assertThat(transfers.clientWait("c", arrival)).failsWithin(WAIT).withThrowableThat()
        .havingRootCause().isInstanceOf(SessionUnavailableException.class);
    assertThat(arrival).isNotDone();
    assertThat(transfers.settled("c")).isNotDone();

    transfer.complete(null);
    assertThat(arrival).succeedsWithin(WAIT);
    assertThat(transfers.settled("c")).isDone();
  }

  @Test
  void withNoWaitAClientIsRefusedOnlyWhileItsSessionIsOnItsWay() {
    SessionsInTransit noWait = new SessionsInTransit(0);
    CompletableFuture<Void> transfer = new CompletableFuture<>();
    CompletableFuture<Void> arrival = noWait.start("c", "a", () -> transfer);

    assertThat(noWait.clientWait("c", noWait.settled("c"))).failsWithin(WAIT).withThrowableThat()
        .havingRootCause().isInstanceOf(SessionUnavailableException.class);
    transfer.complete(null);
    assertThat(arrival).succeedsWithin(WAIT);
    assertThat(noWait.clientWait("c", noWait.settled("c"))).succeedsWithin(WAIT);
  }

  @Test
  void aTransferWithANodeThatLeftIsNotWaitedFor() {
    CompletableFuture<Void> fromA = transfers.start("c", "a", CompletableFuture::new);
    CompletableFuture<Void> fromB = transfers.start("d", "b", CompletableFuture::new);

    transfers.nodeLeft("a");

    assertThat(fromA).failsWithin(WAIT).withThrowableThat().havingRootCause()
        .isInstanceOf(SessionUnavailableException.class);
    assertThat(transfers.settled("c")).isDone();
    assertThat(fromB).isNotDone();
  }

  @Test
  void aFailedTransferIsSettledAndANewOneMayStart() {
    CompletableFuture<Void> failed = transfers.start("c", "a",
        () -> CompletableFuture.failedFuture(new SessionUnavailableException("refused")));

    assertThat(transfers.clientWait("c", failed)).failsWithin(WAIT).withThrowableThat()
        .havingRootCause().isInstanceOf(SessionUnavailableException.class).withMessage("refused");
    assertThat(transfers.settled("c")).isDone();
    assertThat(transfers.start("c", "a", () -> CompletableFuture.completedFuture(null))).succeedsWithin(WAIT);
  }
}
