package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.store.QueuedMessage;
import io.braid.pubsub.store.SessionState;
import io.braid.pubsub.store.StoredSession;
import io.braid.pubsub.subscription.Subscription;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.TopicFilter;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session changes and whole sessions as they travel between nodes. */
class ReplicaFrameTest {

  static QueuedMessage queued(long sequence, String payload) {
    ApplicationMessage message = ApplicationMessage.of("p", "t/" + sequence,
        payload.getBytes(StandardCharsets.UTF_8), 2, false).accepted(100 + sequence, 1_000);
    return new QueuedMessage(sequence, TopicFilter.parse("t/+"), message, 2, false, List.of(7),
        QueuedMessage.Progress.WAITING);
  }

  static StoredSession session(String clientId) {
    Will will = new Will(ApplicationMessage.of(clientId, "wills", new byte[] {1}, 1, false).accepted(5, 900), 30);
    return new StoredSession(clientId, 3600, StoredSession.CONNECTED, will,
        List.of(new Subscription(clientId, TopicFilter.parse("t/+"), SubscriptionOptions.ofMaxQos(2))));
  }

  @Test
  void everyKindOfChangeRoundTrips() {
    List<ReplicaOp> ops = List.of(new ReplicaOp.Reset(), new ReplicaOp.SaveSession(session("c")),
        new ReplicaOp.Enqueue("c", queued(3, "three")), new ReplicaOp.Dequeue("c", 3),
        new ReplicaOp.Progress("c", 4, QueuedMessage.Progress.RELEASED), new ReplicaOp.AddInbound("c", 65535),
        new ReplicaOp.RemoveInbound("c", 1), new ReplicaOp.DeleteSession("c"), new ReplicaOp.Release());

    ReplicaFrame.Decoded decoded = ReplicaFrame.decode(ReplicaFrame.encode("node-é", ops));

    assertThat(decoded.owner()).isEqualTo("node-é");
    assertThat(decoded.ops()).usingRecursiveFieldByFieldElementComparator().isEqualTo(ops);
  }

  @Test
  void aReplicaFrameIsToldApartFromAForwardedMessage() {
    Buffer forwarded = PeerMessage.encode(new byte[] {1, 2}, List.of());

    assertThat(ReplicaFrame.isReplica(forwarded)).isFalse();
    assertThat(ReplicaFrame.isReplica(ReplicaFrame.encode("n", List.of()))).isTrue();
  }

  @Test
  void aWholeSessionRoundTrips() {
    SessionState state = new SessionState(session("c"), List.of(queued(1, "a"), queued(2, "b")), Set.of(9, 10));

    SessionState decoded = ReplicaFrame.decodeSession(ReplicaFrame.encode(state));

    assertThat(decoded).usingRecursiveComparison().isEqualTo(state);
  }

  @Test
  void bytesCutShortOrTrailingAreRefused() {
    Buffer frame = ReplicaFrame.encode("n", List.of(new ReplicaOp.Dequeue("c", 3)));

    assertThatThrownBy(() -> ReplicaFrame.decode(frame.getBuffer(0, frame.length() - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicaFrame.decode(frame.copy().appendByte((byte) 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicaFrame.decode(Buffer.buffer().appendByte((byte) 0x80).appendShort((short) 0)
        .appendInt(1).appendByte((byte) 99))).isInstanceOf(IllegalArgumentException.class);
  }
}
