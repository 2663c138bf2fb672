package io.braid.protocol.mux;

import static io.braid.protocol.mux.Connection.drain;
import static io.braid.protocol.mux.Connection.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Credit-based flow control, counted in DATA frames per stream and per connection: a sender stalls
 * exactly at its credit and resumes when the receiver's application has consumed half a window;
 * a peer that sends past its credit is caught; dropped frames give their connection credit back.
 */
class FlowControlTest {
  private static final int STREAM_WINDOW = StreamSettings.DEFAULTS.initialStreamWindow(); // 32
  private static final int CONNECTION_WINDOW = StreamSettings.DEFAULTS.initialConnectionWindow(); // 256

  /** Sends on {@code id} until the credit runs out, checking it falls by one per frame. */
  private static int sendAll(Connection c, int id) {
    int sent = 0;
    for (int credit = c.local.sendCredit(id); credit > 0; credit--) {
      assertThat(c.local.sendCredit(id)).isEqualTo(credit);
      assertThat(c.localSends(message(id, false)))
          .isInstanceOfSatisfying(Inbound.Message.class, m -> assertThat(m.frame()).isEqualTo(message(id, false)));
      sent++;
    }
    return sent;
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void senderStallsExactlyAtItsStreamCredit(Role role) {
    Connection c = Connection.established(role);
    int id = c.local.openStream();
    assertThat(c.local.sendCredit(id)).isEqualTo(STREAM_WINDOW);
    c.localSends(message(id, false));
    assertThat(1 + sendAll(c, id)).isEqualTo(STREAM_WINDOW);
    assertThat(c.local.sendCredit(id)).isZero();
    assertThatThrownBy(() -> c.local.sent(message(id, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no credit to send on stream " + id);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void senderStallsOnStreamsThePeerOpenedToo(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerOpens();
    assertThat(sendAll(c, id)).isEqualTo(STREAM_WINDOW);
    assertThatThrownBy(() -> c.local.sent(message(id, true))).hasMessage("no credit to send on stream " + id);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void receiverReturnsStreamCreditInBatchesOfHalfTheWindow(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    sendAll(c, id);
    for (int i = 1; i < STREAM_WINDOW / 2; i++) {
      c.peer.consumed(id);
      assertThat(drain(c.peer)).as("after %d consumed", i).isEmpty();
    }
    c.peer.consumed(id);
    assertThat(drain(c.peer)).containsExactly(new StreamFrame.WindowUpdate(id, STREAM_WINDOW / 2));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void senderResumesOnTheReceiversWindowUpdate(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    sendAll(c, id);
    for (int i = 0; i < STREAM_WINDOW / 2; i++) {
      c.peer.consumed(id);
    }
    List<StreamFrame> updates = drain(c.peer);
    assertThat(updates).containsExactly(new StreamFrame.WindowUpdate(id, STREAM_WINDOW / 2));
    assertThat(c.peerSends(updates.get(0))).isEqualTo(new Inbound.CreditGranted(id));
    assertThat(c.local.sendCredit(id)).isEqualTo(STREAM_WINDOW / 2);
    assertThat(sendAll(c, id)).isEqualTo(STREAM_WINDOW / 2);
    assertThat(c.local.sendCredit(id)).isZero();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void connectionCreditIsSharedByAllStreams(Role role) {
    Connection c = Connection.established(role);
    List<Integer> ids = new ArrayList<>();
    int sent = 0;
    while (sent < CONNECTION_WINDOW) {
      int id = c.local.openStream();
      ids.add(id);
      sent += sendAll(c, id);
    }
    assertThat(sent).isEqualTo(CONNECTION_WINDOW);
    int fresh = c.local.openStream();
    assertThat(c.local.sendCredit(fresh)).as("stream credit left, connection credit gone").isZero();

    // The receiver consumes half of each stream's messages: half the connection window in all.
    for (int id : ids) {
      for (int i = 0; i < STREAM_WINDOW / 2; i++) {
        c.peer.consumed(id);
      }
    }
    List<StreamFrame> updates = c.peerReturnsCredit();
    assertThat(updates).contains(new StreamFrame.WindowUpdate(0, CONNECTION_WINDOW / 2));
    assertThat(updates).hasSize(ids.size() + 1);
    assertThat(c.local.sendCredit(fresh)).isEqualTo(STREAM_WINDOW);
    assertThat(c.local.sendCredit(ids.get(0))).isEqualTo(STREAM_WINDOW / 2);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void receiverAcceptsItsWholeAdvertisedWindowAndNoMore(Role role) {
    StreamSettings generous = new StreamSettings(100, 1000, 100, 1 << 20);
    Connection c = Connection.established(role, generous, StreamSettings.DEFAULTS);
    int id = c.peerOpens();
    for (int i = 1; i < 100; i++) {
      assertThat(c.peerSends(message(id, false))).isEqualTo(new Inbound.Message(message(id, false), false));
    }
    assertThat(c.peer.sendCredit(id)).isZero();
    assertThat(c.injected(message(id, false)))
        .isEqualTo(new Inbound.StreamError(id, ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the credit of stream " + id));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataPastTheStreamCreditIsAStreamFlowControlError(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerStream(1);
    for (int i = 0; i < STREAM_WINDOW; i++) {
      assertThat(c.injected(message(id, false))).isInstanceOf(Inbound.Message.class);
    }
    assertThat(c.injected(message(id, false)))
        .isEqualTo(new Inbound.StreamError(id, ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the credit of stream " + id));
    assertThat(c.local.state(id)).isEqualTo(StreamState.CLOSED);
    assertThat(c.injected(message(id, false))).isEqualTo(new Inbound.Ignored("DATA on stream " + id + " after this side reset it"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataPastTheConnectionCreditIsAConnectionFlowControlError(Role role) {
    Connection c = Connection.established(role);
    int n = 1;
    for (int received = 0; received < CONNECTION_WINDOW; n++) {
      int id = c.peerStream(n);
      for (int i = 0; i < STREAM_WINDOW; i++, received++) {
        assertThat(c.injected(message(id, false))).isInstanceOf(Inbound.Message.class);
      }
    }
    assertThat(c.injected(message(c.peerStream(n), false)))
        .isEqualTo(new Inbound.ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the connection's credit"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void ignoredFramesGiveTheirConnectionCreditBack(Role role) {
    Connection c = Connection.established(role);
    int streams = CONNECTION_WINDOW / 2 / STREAM_WINDOW; // 4 streams of 32 frames: half the connection window
    List<Integer> ids = new ArrayList<>();
    List<StreamFrame.Reset> resets = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      int id = c.peerOpens();
      ids.add(id);
      StreamFrame.Reset reset = new StreamFrame.Reset(id, ErrorCode.CANCEL);
      c.local.sent(reset); // in flight while the peer goes on sending
      resets.add(reset);
      c.local.consumed(id); // the first message, received before the reset
    }
    for (int id : ids) {
      for (int i = 1; i < STREAM_WINDOW; i++) {
        assertThat(c.peerSends(message(id, false))).isInstanceOf(Inbound.Ignored.class);
      }
    }
    assertThat(drain(c.local)).containsExactly(new StreamFrame.WindowUpdate(0, CONNECTION_WINDOW / 2));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void framesRefusedWithAStreamErrorGiveTheirConnectionCreditBack(Role role) {
    StreamSettings noStreams = new StreamSettings(32, 256, 0, 1 << 20);
    Connection c = Connection.established(role, noStreams, StreamSettings.DEFAULTS);
    for (int n = 1; n <= CONNECTION_WINDOW; n++) {
      assertThat(c.injected(message(c.peerStream(n), false))).isInstanceOf(Inbound.StreamError.class);
    }
    assertThat(drain(c.local)).containsExactly(
        new StreamFrame.WindowUpdate(0, CONNECTION_WINDOW / 2), new StreamFrame.WindowUpdate(0, CONNECTION_WINDOW / 2));
    // The receive window grew back as the updates were queued: a second window's worth is taken too.
    for (int n = CONNECTION_WINDOW + 1; n <= 2 * CONNECTION_WINDOW; n++) {
      assertThat(c.injected(message(c.peerStream(n), false))).isInstanceOf(Inbound.StreamError.class);
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void noStreamCreditIsReturnedOnceThePeerEndedTheStream(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerOpens();
    for (int i = 2; i < STREAM_WINDOW; i++) {
      c.peerSends(message(id, false));
    }
    c.peerSends(message(id, true));
    for (int i = 0; i < STREAM_WINDOW; i++) {
      c.local.consumed(id);
    }
    assertThat(drain(c.local)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void endStreamCountsAgainstTheCredit(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    for (int i = 2; i < STREAM_WINDOW; i++) {
      c.localSends(message(id, false));
    }
    assertThat(c.local.sendCredit(id)).isEqualTo(1);
    assertThat(c.localSends(message(id, true))).isEqualTo(new Inbound.Message(message(id, true), false));
    assertThat(c.local.sendCredit(id)).isZero();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void settingsThatRaiseTheWindowsApplyToStreamsAlreadyOpen(Role role) {
    StreamSettings larger = new StreamSettings(64, 512, 100, 1 << 20);
    Connection c = Connection.unopened(role, StreamSettings.DEFAULTS, larger);
    c.localSends(c.local.settingsFrame());
    // Before the peer's SETTINGS arrive, this side sends under the defaults.
    List<Integer> ids = new ArrayList<>();
    int sent = 0;
    while (sent < CONNECTION_WINDOW) {
      int id = c.local.openStream();
      ids.add(id);
      sent += sendAll(c, id);
    }
    int fresh = c.local.openStream();
    assertThat(c.local.sendCredit(fresh)).isZero();

    assertThat(c.peerSends(c.peer.settingsFrame())).isEqualTo(new Inbound.CreditGranted(0));
    for (int id : ids) {
      assertThat(c.local.sendCredit(id)).isEqualTo(64 - STREAM_WINDOW);
    }
    assertThat(c.local.sendCredit(fresh)).isEqualTo(64);
    int more = 0;
    for (int id : ids) {
      more += sendAll(c, id);
    }
    assertThat(more).isEqualTo(512 - CONNECTION_WINDOW);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void streamCreditMayReachButNotPass2To31Minus1(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens(); // stream credit 31 left
    assertThat(c.injected(new StreamFrame.WindowUpdate(id, StreamSettings.MAX_WINDOW - 31))).isEqualTo(new Inbound.CreditGranted(id));
    assertThat(c.injected(new StreamFrame.WindowUpdate(id, 1)))
        .isEqualTo(new Inbound.StreamError(id, ErrorCode.FLOW_CONTROL_ERROR, "credit of stream " + id + " over 2^31-1"));
    assertThat(c.local.state(id)).isEqualTo(StreamState.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void connectionCreditMayReachButNotPass2To31Minus1(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens(); // connection credit 255 left
    assertThat(c.injected(new StreamFrame.WindowUpdate(0, StreamSettings.MAX_WINDOW - 255))).isEqualTo(new Inbound.CreditGranted(0));
    assertThat(c.injected(new StreamFrame.WindowUpdate(0, 1)))
        .isEqualTo(new Inbound.ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "connection credit over 2^31-1"));
    assertThat(c.local.sendCredit(id)).isEqualTo(STREAM_WINDOW - 1);
  }
}
