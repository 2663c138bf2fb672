package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.message.ApplicationMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The retained messages a joining node is sent, a window at a time, against a transport the test acknowledges. */
class RetainedWelcomeTest {

  private static final int WINDOW = 3;

  /** Records every acknowledged send; the test completes them. */
  private static final class AcknowledgedByHand implements PeerTransport {
    final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    final List<ApplicationMessage> sent = new ArrayList<>();

    @Override
    public Future<Void> start(Receiver receiver) {
      return Future.succeededFuture();
    }

    @Override
    public void send(String node, Buffer message) {
      throw new AssertionError("a welcome sends nothing unacknowledged");
    }

    @Override
    public CompletableFuture<Void> sendAcknowledged(String node, Buffer message) {
      PeerMessage decoded = PeerMessage.decode(message);
      assertThat(decoded.retainedOnly()).isTrue();
      sent.add(decoded.message());
      CompletableFuture<Void> taken = new CompletableFuture<>();
      waiting.add(taken);
      return taken;
    }

    long unacknowledged() {
      return waiting.stream().filter(taken -> !taken.isDone()).count();
    }

    @Override
    public void nodeLeft(String node) {
    }

    @Override
    public void close() {
    }
  }

  private static List<ApplicationMessage> retained(int count) {
    return IntStream.range(0, count).mapToObj(i -> ApplicationMessage.of("p", "t/" + i,
        ("m" + i).getBytes(StandardCharsets.UTF_8), 1, true).accepted(i + 1, 1_000 + i)).toList();
  }

  @Test
  void sendsEveryRetainedMessageWithAtMostAWindowUnacknowledged() {
    AcknowledgedByHand transport = new AcknowledgedByHand();
    CompletableFuture<Integer> done = new RetainedWelcome(transport, "b", retained(10)).start(WINDOW);

    for (int acknowledged = 0; acknowledged < 10; acknowledged++) {
      assertThat(transport.unacknowledged()).isBetween(1L, (long) WINDOW);
      transport.waiting.get(acknowledged).complete(null);
    }

    assertThat(done).isCompletedWithValue(10);
    assertThat(transport.sent).extracting(m -> m.topic().asString())
        .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "t/" + i).toList());
  }

  @Test
  void aMessageTheNodeDidNotTakeStopsTheWelcome() {
    AcknowledgedByHand transport = new AcknowledgedByHand();
    CompletableFuture<Integer> done = new RetainedWelcome(transport, "b", retained(10)).start(WINDOW);

    transport.waiting.get(0).completeExceptionally(new IllegalStateException("the link to node b broke"));
    transport.waiting.get(1).complete(null);

    assertThat(done).isCompletedExceptionally();
    assertThat(transport.sent).hasSize(WINDOW);
  }

  @Test
  void noRetainedMessagesIsAWelcomeDoneAtOnce() {
    assertThat(new RetainedWelcome(new AcknowledgedByHand(), "b", List.of()).start(WINDOW)).isCompletedWithValue(0);
  }
}
