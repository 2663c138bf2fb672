package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.pubsub.presence.LeaveReason;
import io.braid.pubsub.presence.Membership;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Changes to a node's members as they travel to the other nodes. */
class PresenceFrameTest {

  private static final Membership ALICE = new Membership("chat/rooms/ü", "alice", "{\"nick\":\"Al\"}", "Al");
  private static final Membership BOB = new Membership("chat/rooms/1", "bob", null, null);

  @Test
  void everyKindOfChangeRoundTrips() {
    List<PresenceFrame.Change> changes = List.of(new PresenceFrame.Joined("node-a", ALICE),
        new PresenceFrame.Joined("node-a", BOB),
        new PresenceFrame.Left("node-a", "chat/rooms/1", "bob", LeaveReason.TAKEN_OVER),
        new PresenceFrame.Members("node-a", List.of(ALICE, BOB)), new PresenceFrame.Members("node-a", List.of()));

    for (PresenceFrame.Change change : changes) {
      Buffer frame = PresenceFrame.encode(change);
      assertThat(PresenceFrame.isPresence(frame)).isTrue();
      assertThat(PresenceFrame.decode(frame)).isEqualTo(change);
    }
  }

  @Test
  void aJoinIsLaidOutByteForByte() {
    Buffer frame = PresenceFrame.encode(new PresenceFrame.Joined("n", new Membership("t", "c", null, "x")));

    assertThat(frame.getBytes()).containsExactly(0x82, 1, 0, 1, 'n', 0, 1, 't', 0, 1, 'c', 0, 1, 0, 0, 0, 1, 'x');
  }

  @Test
  void neitherAForwardedMessageNorAReplicaFrameIsTakenForPresence() {
    assertThat(PresenceFrame.isPresence(Buffer.buffer(new byte[] {0, 0, 0}))).isFalse();
    assertThat(PresenceFrame.isPresence(Buffer.buffer(new byte[] {(byte) ReplicaFrame.MARKER}))).isFalse();
  }

  @Test
  void aTruncatedOrPaddedFrameIsRefused() {
    Buffer frame = PresenceFrame.encode(new PresenceFrame.Members("node-a", List.of(ALICE)));
    for (int length = 1; length < frame.length(); length++) {
      Buffer truncated = frame.getBuffer(0, length);
      assertThatThrownBy(() -> PresenceFrame.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> PresenceFrame.decode(frame.copy().appendByte((byte) 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
  }

  @Test
  void anUnknownKindOrReasonIsRefused() {
    assertThatThrownBy(() -> PresenceFrame.decode(Buffer.buffer(new byte[] {(byte) 0x82, 9, 0, 0})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown presence change 9");
    Buffer left = PresenceFrame.encode(new PresenceFrame.Left("n", "t", "c", LeaveReason.LOST));
    left.setByte(left.length() - 1, (byte) 9);
    assertThatThrownBy(() -> PresenceFrame.decode(left)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown leave reason 9");
  }
}
