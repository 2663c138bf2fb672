package io.braid.protocol.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stream 0, the control stream: always open, carries DATA in both directions without flow control,
 * and can be neither ended nor reset.
 */
class ControlStreamTest {
  private static StreamFrame.Data control(int n) {
    return new StreamFrame.Data(0, false, Buffer.buffer("ping " + n));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void controlStreamIsAlwaysOpen(Role role) {
    Connection c = Connection.unopened(role);
    assertThat(c.local.state(0)).isEqualTo(StreamState.OPEN);
    c = Connection.established(role);
    c.localSends(control(1));
    assertThat(c.local.state(0)).isEqualTo(StreamState.OPEN);
    assertThat(c.local.openStreams()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void controlStreamIsNeverFlowControlled(Role role) {
    Connection c = Connection.established(role);
    int beyondEveryWindow = StreamSettings.DEFAULTS.initialConnectionWindow() * 4;
    for (int n = 0; n < beyondEveryWindow; n++) {
      assertThat(c.local.sendCredit(0)).isEqualTo(Integer.MAX_VALUE);
      assertThat(c.localSends(control(n))).isEqualTo(new Inbound.Message(control(n), false));
      assertThat(c.peerSends(control(n))).isEqualTo(new Inbound.Message(control(n), false));
    }
    // Control DATA takes no connection credit: a stream still gets its whole window.
    assertThat(c.local.sendCredit(c.local.openStream())).isEqualTo(StreamSettings.DEFAULTS.initialStreamWindow());
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void consumingControlMessagesReturnsNoCredit(Role role) {
    Connection c = Connection.established(role);
    for (int n = 0; n < StreamSettings.DEFAULTS.initialConnectionWindow(); n++) {
      c.peerSends(control(n));
      c.local.consumed(0);
    }
    assertThat(Connection.drain(c.local)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void endStreamOnTheControlStreamIsAConnectionError(Role role) {
    Connection c = Connection.established(role);
    assertThat(c.injected(new StreamFrame.Data(0, true, Buffer.buffer("bye"))))
        .isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "END_STREAM on the control stream"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void resetOfTheControlStreamIsAConnectionError(Role role) {
    Connection c = Connection.established(role);
    assertThat(c.injected(new StreamFrame.Reset(0, ErrorCode.NO_ERROR)))
        .isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "RESET on the control stream"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void windowUpdateOnTheControlStreamIsConnectionCredit(Role role) {
    Connection c = Connection.established(role);
    assertThat(c.injected(new StreamFrame.WindowUpdate(0, 1))).isEqualTo(new Inbound.CreditGranted(0));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void thisSideCannotEndTheControlStream(Role role) {
    Connection c = Connection.established(role);
    assertThatThrownBy(() -> c.local.sent(new StreamFrame.Data(0, true, Buffer.buffer("bye"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the control stream cannot be ended");
    assertThat(c.local.state(0)).isEqualTo(StreamState.OPEN);
  }
}
