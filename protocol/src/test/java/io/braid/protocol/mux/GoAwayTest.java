package io.braid.protocol.mux;

import static io.braid.protocol.mux.Connection.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GOAWAY: the sender accepts no new streams; streams the receiver opened above the last stream id
 * were not processed and are closed; the last stream id may only shrink.
 */
class GoAwayTest {
  private static StreamFrame.GoAway goAway(int lastStreamId) {
    return new StreamFrame.GoAway(lastStreamId, ErrorCode.NO_ERROR, "restart", null);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peersGoAwayClosesTheStreamsThisSideOpenedAboveTheLastStreamId(Role role) {
    Connection c = Connection.established(role);
    int processed = c.localOpens();
    int dropped = c.localOpens();
    int allocated = c.local.openStream(); // never sent on
    StreamFrame.GoAway frame = goAway(processed);
    assertThat(c.peerSends(frame)).isEqualTo(new Inbound.PeerGoingAway(frame));
    assertThat(c.local.state(processed)).isEqualTo(StreamState.OPEN);
    assertThat(c.local.state(dropped)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.state(allocated)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.openStreams()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void streamsAtOrBelowTheLastStreamIdGoOn(Role role) {
    Connection c = Connection.established(role);
    int processed = c.localOpens();
    int peerStream = c.peerOpens();
    c.peerSends(goAway(processed));
    assertThat(c.localSends(message(processed, true))).isEqualTo(new Inbound.Message(message(processed, true), false));
    assertThat(c.peerSends(message(processed, false))).isEqualTo(new Inbound.Message(message(processed, false), false));
    assertThat(c.peerSends(message(peerStream, false))).isEqualTo(new Inbound.Message(message(peerStream, false), false));
    assertThat(c.localSends(message(peerStream, false))).isEqualTo(new Inbound.Message(message(peerStream, false), false));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void goAwayWithLastStreamIdZeroClosesEveryStreamThisSideOpened(Role role) {
    Connection c = Connection.established(role);
    int a = c.localOpens();
    int b = c.localOpens();
    int peerStream = c.peerOpens();
    c.peerSends(new StreamFrame.GoAway(0, ErrorCode.RECONNECT, "move", "b:8080"));
    assertThat(c.local.state(a)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.state(b)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.state(peerStream)).isEqualTo(StreamState.OPEN);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void afterThePeersGoAwayNoStreamMayBeOpened(Role role) {
    Connection c = Connection.established(role);
    c.peerSends(goAway(0));
    assertThat(c.local.canOpenStream()).isFalse();
    assertThatThrownBy(c.local::openStream).isInstanceOf(IllegalStateException.class).hasMessage("peer sent GOAWAY");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void framesOnStreamsClosedByGoAwayAreIgnored(Role role) {
    Connection c = Connection.established(role);
    int dropped = c.localOpens();
    c.peerSends(goAway(0));
    assertThat(c.injected(new StreamFrame.WindowUpdate(dropped, 1))).isEqualTo(new Inbound.Ignored("WINDOW_UPDATE on closed stream " + dropped));
    assertThat(c.injected(new StreamFrame.Reset(dropped, ErrorCode.REFUSED_STREAM))).isEqualTo(new Inbound.Ignored("RESET on closed stream " + dropped));
    assertThatThrownBy(() -> c.local.sent(message(dropped, false))).hasMessage("stream " + dropped + " is not open for sending");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void lastStreamIdMayShrinkButNotGrow(Role role) {
    Connection c = Connection.established(role);
    int a = c.localOpens();
    int b = c.localOpens();
    int d = c.localOpens();
    assertThat(c.peerSends(goAway(b))).isInstanceOf(Inbound.PeerGoingAway.class);
    assertThat(c.local.state(d)).isEqualTo(StreamState.CLOSED);
    assertThat(c.peerSends(goAway(b))).as("the same id again").isInstanceOf(Inbound.PeerGoingAway.class);
    assertThat(c.peerSends(goAway(a))).isInstanceOf(Inbound.PeerGoingAway.class);
    assertThat(c.local.state(b)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.state(a)).isEqualTo(StreamState.OPEN);
    assertThat(c.injected(goAway(d)))
        .isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "GOAWAY last stream id may not grow"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void afterThisSidesGoAwayNewPeerStreamsAboveTheLastStreamIdAreIgnored(Role role) {
    Connection c = Connection.established(role);
    int processed = c.peerOpens();
    StreamFrame.GoAway frame = goAway(c.local.lastPeerStreamId());
    assertThat(c.localSends(frame)).isEqualTo(new Inbound.PeerGoingAway(frame));
    assertThat(c.peer.canOpenStream()).isFalse();

    int late = c.peerStream(2); // sent by the peer before it saw the GOAWAY
    assertThat(c.injected(message(late, false))).isEqualTo(new Inbound.Ignored("stream " + late + " opened after GOAWAY"));
    assertThat(c.local.lastPeerStreamId()).isEqualTo(processed);
    assertThat(c.local.openStreams()).isEqualTo(1);
    assertThat(c.peerSends(message(processed, false))).isEqualTo(new Inbound.Message(message(processed, false), false));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peerStreamsUpToThisSidesLastStreamIdMayStillOpen(Role role) {
    Connection c = Connection.established(role);
    int allowed = c.peerStream(2);
    c.local.sent(goAway(allowed)); // a graceful GOAWAY that leaves room for one stream in flight
    assertThat(c.injected(message(allowed, false))).isEqualTo(new Inbound.Message(message(allowed, false), true));
    int late = c.peerStream(3);
    assertThat(c.injected(message(late, false))).isEqualTo(new Inbound.Ignored("stream " + late + " opened after GOAWAY"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void thisSidesGoAwayLastStreamIdMayNotGrow(Role role) {
    Connection c = Connection.established(role);
    c.peerOpens();
    c.localSends(goAway(0));
    assertThatThrownBy(() -> c.local.sent(goAway(c.peerStream(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("GOAWAY last stream id may not grow");
    int late = c.peerStream(2);
    assertThat(c.injected(message(late, false))).isEqualTo(new Inbound.Ignored("stream " + late + " opened after GOAWAY"));
  }
}
