package io.braid.protocol.mux;

import static io.braid.protocol.mux.Connection.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The concurrent stream limit each side advertises in SETTINGS: a side opens no more streams than
 * the peer allows, and refuses streams past its own limit with REFUSED_STREAM, safe to retry.
 */
class StreamLimitTest {
  private static StreamSettings maxStreams(int max) {
    return new StreamSettings(32, 256, max, 1 << 20);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void thisSideOpensNoMoreStreamsThanThePeerAllows(Role role) {
    Connection c = Connection.established(role, StreamSettings.DEFAULTS, maxStreams(2));
    c.localOpens();
    assertThat(c.local.canOpenStream()).isTrue();
    c.localOpens();
    assertThat(c.local.canOpenStream()).isFalse();
    assertThatThrownBy(c.local::openStream).isInstanceOf(IllegalStateException.class).hasMessage("peer allows 2 streams");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void aStreamAllocatedButNotYetUsedCountsAgainstTheLimit(Role role) {
    Connection c = Connection.established(role, StreamSettings.DEFAULTS, maxStreams(1));
    c.local.openStream();
    assertThat(c.local.canOpenStream()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void aClosedStreamFreesItsSlot(Role role) {
    Connection c = Connection.established(role, StreamSettings.DEFAULTS, maxStreams(2));
    int reset = c.localOpens();
    int ended = c.localOpens();
    c.localSends(new StreamFrame.Reset(reset, ErrorCode.CANCEL));
    assertThat(c.local.canOpenStream()).isTrue();
    assertThat(c.localOpens()).isEqualTo(c.localStream(3));
    assertThat(c.local.canOpenStream()).isFalse();

    c.localSends(message(ended, true));
    assertThat(c.local.canOpenStream()).as("a half-closed stream still counts").isFalse();
    c.peerSends(message(ended, true));
    assertThat(c.local.canOpenStream()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peerStreamsDoNotCountAgainstThisSidesLimit(Role role) {
    Connection c = Connection.established(role, maxStreams(10), maxStreams(1));
    for (int i = 0; i < 5; i++) {
      c.peerOpens();
    }
    assertThat(c.local.canOpenStream()).isTrue();
    c.localOpens();
    assertThat(c.local.canOpenStream()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void aPeerStreamPastThisSidesLimitIsRefused(Role role) {
    // The peer opens streams under the default limit before this side's SETTINGS reach it.
    Connection c = Connection.unopened(role, maxStreams(2), StreamSettings.DEFAULTS);
    c.local.sent(c.local.settingsFrame()); // in flight
    c.peerSends(c.peer.settingsFrame());
    int first = c.peerOpens();
    c.peerOpens();
    int third = c.peer.openStream();
    assertThat(c.peerSends(message(third, false)))
        .isEqualTo(new Inbound.StreamError(third, ErrorCode.REFUSED_STREAM, "more than 2 concurrent streams"));
    assertThat(c.local.state(third)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.lastPeerStreamId()).isEqualTo(third);
    // What the peer sends before it sees the RESET is dropped.
    assertThat(c.peerSends(message(third, true)))
        .isEqualTo(new Inbound.Ignored("DATA on stream " + third + " after this side reset it"));

    c.peerSends(new StreamFrame.Reset(first, ErrorCode.CANCEL));
    int fourth = c.peer.openStream();
    assertThat(c.peerSends(message(fourth, false))).isEqualTo(new Inbound.Message(message(fourth, false), true));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void aLimitOfZeroRefusesEveryPeerStream(Role role) {
    Connection c = Connection.established(role, maxStreams(0), StreamSettings.DEFAULTS);
    assertThat(c.peer.canOpenStream()).isFalse();
    int id = c.peerStream(1);
    assertThat(c.injected(message(id, false)))
        .isEqualTo(new Inbound.StreamError(id, ErrorCode.REFUSED_STREAM, "more than 0 concurrent streams"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void aRefusedStreamIsNotOpen(Role role) {
    Connection c = Connection.established(role, maxStreams(0), StreamSettings.DEFAULTS);
    int id = c.peerStream(1);
    c.injected(message(id, false));
    assertThat(c.local.openStreams()).isZero();
    assertThat(c.local.sendCredit(id)).isZero();
    assertThatThrownBy(() -> c.local.sent(message(id, false))).hasMessage("stream " + id + " is not open for sending");
  }
}
