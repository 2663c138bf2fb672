package io.braid.protocol.mux;

import static io.braid.protocol.mux.Connection.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * This side's own mistakes are bugs, not peer input: {@link Multiplexer#sent} and
 * {@link Multiplexer#openStream} throw {@link IllegalStateException} and change nothing.
 */
class LocalMisuseTest {

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataWithoutStreamCreditThrows(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    while (c.local.sendCredit(id) > 0) {
      c.localSends(message(id, false));
    }
    assertThatThrownBy(() -> c.local.sent(message(id, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no credit to send on stream " + id);
    assertThat(c.local.state(id)).isEqualTo(StreamState.OPEN);
    assertThat(c.local.sendCredit(id)).isZero();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataWithoutConnectionCreditThrows(Role role) {
    Connection c = Connection.established(role);
    int streams = StreamSettings.DEFAULTS.initialConnectionWindow() / StreamSettings.DEFAULTS.initialStreamWindow();
    for (int i = 0; i < streams; i++) {
      int id = c.localOpens();
      while (c.local.sendCredit(id) > 0) {
        c.localSends(message(id, false));
      }
    }
    int fresh = c.local.openStream();
    assertThat(c.local.sendCredit(fresh)).isZero();
    assertThatThrownBy(() -> c.local.sent(message(fresh, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no credit to send on stream " + fresh);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataOnAResetStreamThrows(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    c.localSends(new StreamFrame.Reset(id, ErrorCode.CANCEL));
    assertThatThrownBy(() -> c.local.sent(message(id, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stream " + id + " is not open for sending");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataAfterEndStreamThrows(Role role) {
    Connection c = Connection.established(role);
    int id = c.localOpens();
    c.localSends(message(id, true));
    assertThatThrownBy(() -> c.local.sent(message(id, true)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stream " + id + " is not open for sending");
    assertThat(c.local.state(id)).isEqualTo(StreamState.HALF_CLOSED_LOCAL);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataOnAClosedStreamThrows(Role role) {
    Connection c = Connection.established(role);
    int id = c.peerOpens();
    c.peerSends(message(id, true));
    c.localSends(message(id, true));
    assertThatThrownBy(() -> c.local.sent(message(id, false))).hasMessage("stream " + id + " is not open for sending");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataOnAStreamNobodyOpenedThrows(Role role) {
    Connection c = Connection.established(role);
    for (int id : new int[] {c.localStream(1), c.peerStream(1)}) {
      assertThatThrownBy(() -> c.local.sent(message(id, false)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("stream " + id + " is not open for sending");
      assertThat(c.local.state(id)).isEqualTo(StreamState.IDLE);
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void streamsMustBeginInTheOrderTheyWereOpened(Role role) {
    Connection c = Connection.established(role);
    int first = c.local.openStream();
    int second = c.local.openStream();
    c.localSends(message(second, false));
    // The peer takes the first use of an id as closing every lower idle id of this side.
    assertThatThrownBy(() -> c.local.sent(message(first, false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stream " + first + " is not open for sending");
    assertThat(c.local.state(first)).isEqualTo(StreamState.CLOSED);
    assertThat(c.local.openStreams()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void endStreamOnTheControlStreamThrows(Role role) {
    Connection c = Connection.established(role);
    assertThatThrownBy(() -> c.local.sent(new StreamFrame.Data(0, true, Buffer.buffer("bye"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the control stream cannot be ended");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void settingsTwiceThrows(Role role) {
    Connection c = Connection.established(role);
    assertThatThrownBy(() -> c.local.sent(c.local.settingsFrame()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SETTINGS already sent");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataBeforeSettingsThrows(Role role) {
    Connection c = Connection.unopened(role);
    assertThatThrownBy(() -> c.local.sent(new StreamFrame.Data(0, false, Buffer.buffer("hi"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the first frame must be SETTINGS");
  }
}
