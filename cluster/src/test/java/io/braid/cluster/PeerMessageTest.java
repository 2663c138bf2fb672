package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.MessageProperty;
import io.braid.pubsub.store.MessageBytes;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerMessageTest {

  private static final ApplicationMessage MESSAGE = new ApplicationMessage(42, "publisher-1",
      TopicName.parse("chat/lobby"), "hello".getBytes(StandardCharsets.UTF_8), 1, true, 1_700_000_000_000L, 60, 1,
      "text/plain", "replies/1", new byte[] {7}, List.of(new MessageProperty("k", "v")), null);

  @Test
  void carriesTheMessageAndItsSharedGroups() {
    List<TopicFilter> groups = List.of(TopicFilter.parse("$share/a/chat/#"), TopicFilter.parse("$share/b b/+/lobby"));

    PeerMessage decoded = PeerMessage.decode(PeerMessage.encode(MessageBytes.encode(MESSAGE), groups));

    assertThat(decoded.groups()).isEqualTo(groups);
    assertThat(decoded.message()).usingRecursiveComparison().isEqualTo(MESSAGE);
  }

  @Test
  void carriesAMessageWithoutGroups() {
    PeerMessage decoded = PeerMessage.decode(PeerMessage.encode(MessageBytes.encode(MESSAGE), List.of()));

    assertThat(decoded.groups()).isEmpty();
    assertThat(decoded.message().payload()).isEqualTo(MESSAGE.payload());
  }

  @Test
  void carriesARetainedMessageToKeepOnly() {
    PeerMessage decoded = PeerMessage.decode(PeerMessage.encodeRetainedOnly(MessageBytes.encode(MESSAGE)));

    assertThat(decoded.retainedOnly()).isTrue();
    assertThat(decoded.groups()).isEmpty();
    assertThat(decoded.message()).usingRecursiveComparison().isEqualTo(MESSAGE);
    assertThat(PeerMessage.decode(PeerMessage.encode(MessageBytes.encode(MESSAGE), List.of())).retainedOnly())
        .isFalse();
  }

  @Test
  void carriesTheNodesThatLeftOnWhoseBehalfItIsSent() {
    List<TopicFilter> groups = List.of(TopicFilter.parse("$share/a/chat/#"));

    PeerMessage decoded = PeerMessage.decode(PeerMessage.encode(MessageBytes.encode(MESSAGE), groups,
        Set.of("node-1", "node-2")));

    assertThat(decoded.onBehalfOf()).containsExactlyInAnyOrder("node-1", "node-2");
    assertThat(decoded.groups()).isEqualTo(groups);
    assertThat(decoded.message()).usingRecursiveComparison().isEqualTo(MESSAGE);
    assertThat(PeerMessage.decode(PeerMessage.encode(MessageBytes.encode(MESSAGE), groups)).onBehalfOf()).isEmpty();
  }

  @Test
  void aRelayedCopyIsOnlyForTheSessionsOnWhoseBehalfItIsSent() {
    PeerMessage decoded = PeerMessage.decode(PeerMessage.encodeRelay(MessageBytes.encode(MESSAGE),
        Set.of("session s")));

    assertThat(decoded.relayOnly()).isTrue();
    assertThat(decoded.onBehalfOf()).containsExactly("session s");
    assertThat(decoded.groups()).isEmpty();
    assertThat(decoded.message()).usingRecursiveComparison().isEqualTo(MESSAGE);
    assertThat(PeerMessage.decode(PeerMessage.encode(MessageBytes.encode(MESSAGE), List.of(), Set.of("session s")))
        .relayOnly()).as("a copy for the receiver's subscribers too").isFalse();
  }

  @Test
  void rejectsUnknownFlags() {
    Buffer buffer = PeerMessage.encode(MessageBytes.encode(MESSAGE), List.of());
    buffer.setByte(0, (byte) 8);

    assertThatThrownBy(() -> PeerMessage.decode(buffer)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsBytesCutShort() {
    Buffer whole = PeerMessage.encode(MessageBytes.encode(MESSAGE), List.of(TopicFilter.parse("$share/a/chat/#")));

    for (int length = 0; length < whole.length(); length++) {
      Buffer cut = whole.getBuffer(0, length);
      assertThatThrownBy(() -> PeerMessage.decode(cut)).as("cut at %d", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void rejectsAGroupThatIsNotATopicFilter() {
    byte[] bad = "a/#/b".getBytes(StandardCharsets.UTF_8);
    Buffer buffer = Buffer.buffer().appendByte((byte) 0).appendUnsignedShort(1).appendUnsignedShort(bad.length)
        .appendBytes(bad)
        .appendBytes(MessageBytes.encode(MESSAGE));

    assertThatThrownBy(() -> PeerMessage.decode(buffer)).isInstanceOf(IllegalArgumentException.class);
  }
}
