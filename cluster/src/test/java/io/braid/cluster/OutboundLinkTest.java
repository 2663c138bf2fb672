package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One link against a receiver that misbehaves as a slow or vanished node does: it reads nothing, or never acks. */
class OutboundLinkTest {

  private static final int MAX_QUEUED = 1_000;
  private static final int MESSAGE_BYTES = 1024;

  private final Vertx vertx = Vertx.vertx();
  private final List<NetSocket> accepted = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesRead = new AtomicLong();
  private NetServer receiver;
  private OutboundLink link;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A receiver that counts what it reads and answers nothing; {@code reading} false: it does not read at all. */
  private void startReceiver(boolean reading) throws Exception {
    receiver = vertx.createNetServer().connectHandler(socket -> {
      accepted.add(socket);
      if (!reading) {
        socket.pause();
      }
      socket.handler(bytes -> bytesRead.addAndGet(bytes.length()));
    });
    receiver.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private void startLink(long ackTimeoutMillis) {
    Context context = vertx.getOrCreateContext();
    link = new OutboundLink("slow", context,
        () -> vertx.createNetClient().connect(receiver.actualPort(), "127.0.0.1"), MAX_QUEUED, ackTimeoutMillis);
  }

  @Test
  void aReceiverThatDoesNotReadFillsTheQueueNotTheSocket() throws Exception {
    startReceiver(false);
    startLink(60_000);
    Buffer message = Buffer.buffer(new byte[MESSAGE_BYTES]);

    int taken = 0;
    boolean refused = false;
    // a bounded number of rounds: without backpressure every round drains into the socket and none is refused
    for (int round = 0; round < 500 && !refused; round++) {
      for (int i = 0; i < 100 && !refused; i++) {
        refused = !link.offer(message, null);
        taken += refused ? 0 : 1;
      }
      await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
          .until(() -> link.queued() == 0 || link.waitsForDrain());
    }

    // refused only with MAX_QUEUED queued (the offer's own check); not asserted after it, since the kernel may grow
    // the socket's buffers and take some of them meanwhile
    assertThat(refused).as("an offer refused once the socket and the queue are full").isTrue();
    assertThat(taken).as("the queue's worth taken before the refusal").isGreaterThanOrEqualTo(MAX_QUEUED);

    accepted.get(0).resume();
    long frames = taken;
    await().atMost(Duration.ofSeconds(10)).until(() -> link.queued() == 0 && !link.waitsForDrain());
    await().atMost(Duration.ofSeconds(10))
        .until(() -> bytesRead.get() >= frames * MESSAGE_BYTES); // every message taken arrives
  }

  @Test
  void aConnectionWhoseAcknowledgementIsOverdueIsClosedAndItsMessageFails() throws Exception {
    startReceiver(true);
    startLink(200);

    CompletableFuture<Void> taken = new CompletableFuture<>();
    assertThat(link.offer(Buffer.buffer("m1"), taken)).isTrue();

    assertThat(taken).failsWithin(Duration.ofSeconds(10));
    CompletableFuture<Void> next = new CompletableFuture<>();
    link.offer(Buffer.buffer("m2"), next);
    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 2); // connected again for it
    assertThat(next).failsWithin(Duration.ofSeconds(10)); // this receiver never acknowledges
  }
}
