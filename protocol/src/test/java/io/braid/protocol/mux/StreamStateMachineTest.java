package io.braid.protocol.mux;

import static io.braid.protocol.mux.Connection.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stream state machine of {@link Multiplexer}, every transition in both roles: streams open
 * with their first DATA frame, END_STREAM half-closes one direction and closes the stream once both
 * are ended, RESET closes it at once; frames on idle and closed streams are connection errors,
 * stream errors or ignored exactly as the rules say. "Local" is the side under test, in the role of
 * the parameter; "peer" is the other side (see {@link Connection}).
 */
class StreamStateMachineTest {

  // idle -> open

  @ParameterizedTest
  @EnumSource(Role.class)
  void everyStreamStartsIdleButTheControlStream(Role role) {
    Connection c = Connection.unopened(role);
    assertThat(c.local.state(c.localStream(1))).isEqualTo(StreamState.IDLE);
    assertThat(c.local.state(c.peerStream(1))).isEqualTo(StreamState.IDLE);
    assertThat(c.local.state(StreamFrame.MAX_STREAM_ID)).isEqualTo(StreamState.IDLE);
    assertThat(c.local.state(0)).isEqualTo(StreamState.OPEN);
    assertThat(c.local.openStreams()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void clientsOpenOddIdsAndServersEvenIdsInIncreasingOrder(Role role) {
    Connection c = Connection.established(role);
    int first = role == Role.CLIENT ? 1 : 2;
    assertThat(c.local.openStream()).isEqualTo(first);
    assertThat(c.local.openStream()).isEqualTo(first + 2);
    assertThat(c.local.openStream()).isEqualTo(first + 4);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void openStreamOpensTheStreamHereAndItsFirstDataAtThePeer(Role role) {
    Connection c = Connection.established(role);
    int id = c.local.openStream();
    assertThat(c.local.state(id)).isEqualTo(StreamState.OPEN);
    assertThat(c.peer.state(id)).isEqualTo(StreamState.IDLE);

    StreamFrame.Data first = message(id, false);
    assertThat(c.localSends(first)).isEqualTo(new Inbound.Message(first, true));
    assertThat(c.peer.state(id)).isEqualTo(StreamState.OPEN);
    assertThat(c.peer.lastPeerStreamId()).isEqualTo(id);

    StreamFrame.Data second = message(id, false);
    assertThat(c.localSends(second)).isEqualTo(new Inbound.Message(second, false));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peersFirstDataOpensAStream(Role role) {
    Connection c = Connection.established(role);
    int id = c.peer.openStream();
    assertThat(id).isEqualTo(c.peerStream(1));
    StreamFrame.Data first = message(id, false);
    assertThat(c.peerSends(first)).isEqualTo(new Inbound.Message(first, true));
    assertThat(c.local.state(id)).isEqualTo(StreamState.OPEN);
    assertThat(c.local.lastPeerStreamId()).isEqualTo(id);
    assertThat(c.local.openStreams()).isEqualTo(1);

    StreamFrame.Data reply = message(id, false);
    assertThat(c.localSends(reply)).isEqualTo(new Inbound.Message(reply, false));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peerMaySkipIdsAndTheSkippedOnesAreClosed(Role role) {
    Connection c = Connection.established(role);
    int skipped = c.peerStream(1);
    int opened = c.peerStream(3);
    assertThat(c.injected(message(opened, false))).isEqualTo(new Inbound.Message(message(opened, false), true));
    assertThat(c.local.state(skipped)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.state(c.peerStream(2))).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.state(c.peerStream(4))).isEqualTo(StreamState.IDLE);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peerStreamIdsMustIncrease(Role role) {
    Connection c = Connection.established(role);
    int lower = c.peerStream(1);
    int higher = c.peerStream(2);
    c.injected(message(higher, false));
    assertThat(c.injected(message(lower, false)))
        .isEqualTo(new Inbound.StreamError(lower, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + lower));
    assertThat(c.local.state(lower)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.lastPeerStreamId()).isEqualTo(higher);
    assertThat(c.local.state(higher)).isEqualTo(StreamState.OPEN);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataOnAnIdleStreamOfThisSidesParityIsAConnectionError(Role role) {
    Connection c = Connection.established(role);
    int neverOpened = c.localStream(1);
    assertThat(c.injected(message(neverOpened, false))).isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR,
        "DATA on stream " + neverOpened + " that this side never opened"));

    c.localOpens();
    int beyond = c.localStream(5);
    assertThat(c.injected(message(beyond, false))).isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR,
        "DATA on stream " + beyond + " that this side never opened"));
  }

  // open -> half closed -> closed

  @ParameterizedTest
  @EnumSource(Role.class)
  void localEndStreamHalfClosesTheLocalDirection(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    assertThat(c.localSends(message(id, true))).isEqualTo(new Inbound.Message(message(id, true), false));
    assertThat(c.local.state(id)).isEqualTo(StreamState.HALF_CLOSED_LOCAL);
    assertThat(c.peer.state(id)).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
    assertThat(c.local.sendCredit(id)).isZero();
    assertThat(c.peer.sendCredit(id)).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peerEndStreamHalfClosesTheRemoteDirection(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerOpens();
    assertThat(c.peerSends(message(id, true))).isEqualTo(new Inbound.Message(message(id, true), false));
    assertThat(c.local.state(id)).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
    assertThat(c.peer.state(id)).isEqualTo(StreamState.HALF_CLOSED_LOCAL);
    assertThat(c.local.sendCredit(id)).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void endStreamOnTheFirstDataOpensTheStreamHalfClosed(Role role) {
    Connection c = Connection.established(role);
    int id = c.local.openStream();
    assertThat(c.localSends(message(id, true))).isEqualTo(new Inbound.Message(message(id, true), true));
    assertThat(c.local.state(id)).isEqualTo(StreamState.HALF_CLOSED_LOCAL);
    assertThat(c.peer.state(id)).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void halfClosedRemoteMayStillSend(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerOpens();
    c.peerSends(message(id, true));
    assertThat(c.localSends(message(id, false))).isEqualTo(new Inbound.Message(message(id, false), false));
    assertThat(c.local.state(id)).isEqualTo(StreamState.HALF_CLOSED_REMOTE);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void halfClosedLocalMayStillReceive(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    c.localSends(message(id, true));
    assertThat(c.peerSends(message(id, false))).isEqualTo(new Inbound.Message(message(id, false), false));
    assertThat(c.local.state(id)).isEqualTo(StreamState.HALF_CLOSED_LOCAL);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void endStreamFromBothSidesClosesTheStream(Role role) {
    Connection c = Connection.established(role);
    int localFirst = c.localOpens();
    c.localSends(message(localFirst, true));
    c.peerSends(message(localFirst, true));
    int peerFirst = c.peerOpens();
    c.peerSends(message(peerFirst, true));
    c.localSends(message(peerFirst, true));
    for (int id : new int[] {localFirst, peerFirst}) {
      assertThat(c.local.state(id)).as("stream %d here", id).isEqualTo(StreamState.CLOSED);
      assertThat(c.peer.state(id)).as("stream %d at the peer", id).isEqualTo(StreamState.CLOSED);
    }
    assertThat(c.local.openStreams()).isZero();
    assertThat(c.peer.openStreams()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataAfterEndStreamIsAStreamError(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerOpens();
    c.peerSends(message(id, true));
    assertThat(c.injected(message(id, false)))
        .isEqualTo(new Inbound.StreamError(id, ErrorCode.STREAM_CLOSED, "DATA after END_STREAM on stream " + id));
    assertThat(c.local.state(id)).isEqualTo(StreamState.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataOnAClosedStreamIsAStreamErrorThenIgnored(Role role) {
    Connection c = Connection.established(role);
    int localId = c.localOpens();
    c.localSends(message(localId, true));
    c.peerSends(message(localId, true));
    int peerId = c.peerOpens();
    c.peerSends(message(peerId, true));
    c.localSends(message(peerId, true));

    for (int id : new int[] {localId, peerId}) {
      assertThat(c.injected(message(id, false)))
          .isEqualTo(new Inbound.StreamError(id, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + id));
      // This side answered with RESET, so what the peer sent before seeing it is dropped quietly.
      assertThat(c.injected(message(id, false)))
          .isEqualTo(new Inbound.Ignored("DATA on stream " + id + " after this side reset it"));
      assertThat(c.local.state(id)).isEqualTo(StreamState.CLOSED);
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void closedStreamIdsAreNeverReused(Role role) {
    Connection c = Connection.established(role);
    int first = c.localOpens();
    c.localSends(new StreamFrame.Reset(first, ErrorCode.CANCEL));
    assertThat(c.local.openStream()).isEqualTo(c.localStream(2));
    assertThat(c.local.state(first)).isEqualTo(StreamState.CLOSED);
  }

  // reset

  @ParameterizedTest
  @EnumSource(Role.class)
  void localResetClosesTheStreamOnBothSidesFromEveryState(Role role) {
    Connection c = Connection.established(role);
    int open = c.localOpens();
    int halfClosedLocal = c.localOpens();
    c.localSends(message(halfClosedLocal, true));
    int halfClosedRemote = c.peerOpens();
    c.peerSends(message(halfClosedRemote, true));
    for (int id : new int[] {open, halfClosedLocal, halfClosedRemote}) {
      assertThat(c.localSends(new StreamFrame.Reset(id, ErrorCode.CANCEL))).isEqualTo(new Inbound.StreamReset(id, ErrorCode.CANCEL));
      assertThat(c.local.state(id)).isEqualTo(StreamState.CLOSED);
      assertThat(c.peer.state(id)).isEqualTo(StreamState.CLOSED);
    }
    assertThat(c.local.openStreams()).isZero();
    assertThat(c.peer.openStreams()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peerResetClosesTheStreamOnBothSidesFromEveryState(Role role) {
    Connection c = Connection.established(role);
    int open = c.localOpens();
    int halfClosedLocal = c.localOpens();
    c.localSends(message(halfClosedLocal, true));
    int halfClosedRemote = c.peerOpens();
    c.peerSends(message(halfClosedRemote, true));
    for (int id : new int[] {open, halfClosedLocal, halfClosedRemote}) {
      assertThat(c.peerSends(new StreamFrame.Reset(id, ErrorCode.MESSAGE_ERROR)))
          .isEqualTo(new Inbound.StreamReset(id, ErrorCode.MESSAGE_ERROR));
      assertThat(c.local.state(id)).isEqualTo(StreamState.CLOSED);
      assertThat(c.peer.state(id)).isEqualTo(StreamState.CLOSED);
    }
    assertThat(c.local.openStreams()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void resetKeepsAnUndefinedErrorCode(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerOpens();
    assertThat(c.peerSends(new StreamFrame.Reset(id, 0xFFFF_FFFFL))).isEqualTo(new Inbound.StreamReset(id, 0xFFFF_FFFFL));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataThePeerSentBeforeSeeingThisSidesResetIsIgnored(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerOpens();
    StreamFrame.Reset reset = new StreamFrame.Reset(id, ErrorCode.CANCEL);
    c.local.sent(reset); // in flight while the peer goes on sending
    assertThat(c.peerSends(message(id, false))).isEqualTo(new Inbound.Ignored("DATA on stream " + id + " after this side reset it"));
    assertThat(c.peerSends(message(id, true))).isEqualTo(new Inbound.Ignored("DATA on stream " + id + " after this side reset it"));
    assertThat(c.peer.receive(reset)).isEqualTo(new Inbound.StreamReset(id, ErrorCode.CANCEL));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataAfterThePeersResetIsAStreamError(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    c.peerSends(new StreamFrame.Reset(id, ErrorCode.CANCEL));
    assertThat(c.injected(message(id, false)))
        .isEqualTo(new Inbound.StreamError(id, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + id));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void resetsCrossingEachOtherAreIgnored(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    StreamFrame.Reset fromLocal = new StreamFrame.Reset(id, ErrorCode.CANCEL);
    StreamFrame.Reset fromPeer = new StreamFrame.Reset(id, ErrorCode.INTERNAL_ERROR);
    c.local.sent(fromLocal);
    c.peer.sent(fromPeer);
    assertThat(c.local.receive(fromPeer)).isEqualTo(new Inbound.Ignored("RESET on closed stream " + id));
    assertThat(c.peer.receive(fromLocal)).isEqualTo(new Inbound.Ignored("RESET on closed stream " + id));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void resetOnTheControlStreamIsAConnectionError(Role role) {
    Connection c = Connection.established(role);
    assertThat(c.injected(new StreamFrame.Reset(0, ErrorCode.CANCEL)))
        .isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "RESET on the control stream"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void resetOnAnIdleStreamIsAConnectionError(Role role) {
    Connection c = Connection.established(role);
    for (int id : new int[] {c.localStream(1), c.peerStream(1)}) {
      assertThat(c.injected(new StreamFrame.Reset(id, ErrorCode.CANCEL)))
          .isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "RESET on idle stream " + id));
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void resetOnAClosedStreamIsIgnored(Role role) {
    Connection c = Connection.established(role);
    int localId = c.localOpens();
    c.localSends(new StreamFrame.Reset(localId, ErrorCode.CANCEL));
    int peerId = c.peerOpens();
    c.peerSends(new StreamFrame.Reset(peerId, ErrorCode.CANCEL));
    int skipped = c.peerStream(2);
    c.injected(message(c.peerStream(3), false)); // closes the skipped id
    for (int id : new int[] {localId, peerId, skipped}) {
      assertThat(c.injected(new StreamFrame.Reset(id, ErrorCode.CANCEL))).isEqualTo(new Inbound.Ignored("RESET on closed stream " + id));
    }
  }

  // window updates by state

  @ParameterizedTest
  @EnumSource(Role.class)
  void windowUpdateOnAnIdleStreamIsAConnectionError(Role role) {
    Connection c = Connection.established(role);
    for (int id : new int[] {c.localStream(1), c.peerStream(1)}) {
      assertThat(c.injected(new StreamFrame.WindowUpdate(id, 1)))
          .isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + id));
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void windowUpdateOnAClosedStreamIsIgnored(Role role) {
    Connection c = Connection.established(role);
    int localId = c.localOpens();
    c.localSends(new StreamFrame.Reset(localId, ErrorCode.CANCEL));
    int peerId = c.peerOpens();
    c.peerSends(message(peerId, true));
    c.localSends(message(peerId, true));
    for (int id : new int[] {localId, peerId}) {
      assertThat(c.injected(new StreamFrame.WindowUpdate(id, 1))).isEqualTo(new Inbound.Ignored("WINDOW_UPDATE on closed stream " + id));
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void windowUpdateOnOpenAndHalfClosedStreamsGrantsCredit(Role role) {
    Connection c = Connection.established(role);
    int open = c.localOpens();
    int halfClosedLocal = c.localOpens();
    c.localSends(message(halfClosedLocal, true));
    int halfClosedRemote = c.peerOpens();
    c.peerSends(message(halfClosedRemote, true));
    for (int id : new int[] {open, halfClosedLocal, halfClosedRemote}) {
      assertThat(c.injected(new StreamFrame.WindowUpdate(id, 5))).isEqualTo(new Inbound.CreditGranted(id));
    }
  }
}
