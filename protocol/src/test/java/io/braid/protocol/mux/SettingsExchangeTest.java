package io.braid.protocol.mux;

import static io.braid.protocol.mux.Connection.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SETTINGS: each side's first frame, sent once; until it arrives the peer is assumed to use the
 * defaults, which its windows may only raise.
 */
class SettingsExchangeTest {

  static Stream<StreamFrame> framesOtherThanSettings() {
    return Stream.of(
        new StreamFrame.Data(0, false, Buffer.buffer("hello")),
        new StreamFrame.Data(1, false, Buffer.buffer("hello")),
        new StreamFrame.Data(2, true, Buffer.buffer("hello")),
        new StreamFrame.Reset(1, ErrorCode.CANCEL),
        new StreamFrame.WindowUpdate(0, 1),
        new StreamFrame.WindowUpdate(2, 1),
        new StreamFrame.GoAway(0, ErrorCode.NO_ERROR, "", null));
  }

  static Stream<Arguments> rolesAndFramesOtherThanSettings() {
    return Stream.of(Role.values()).flatMap(role -> framesOtherThanSettings().map(frame -> Arguments.of(role, frame)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rolesAndFramesOtherThanSettings")
  void firstFrameReceivedMustBeSettings(Role role, StreamFrame frame) {
    Connection c = Connection.unopened(role);
    assertThat(c.injected(frame)).isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "the first frame must be SETTINGS"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rolesAndFramesOtherThanSettings")
  void firstFrameSentMustBeSettings(Role role, StreamFrame frame) {
    Connection c = Connection.unopened(role);
    assertThatThrownBy(() -> c.local.sent(frame))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the first frame must be SETTINGS");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void dataOnAStreamOpenedBeforeSettingsMustWaitForThem(Role role) {
    Connection c = Connection.unopened(role);
    int id = c.local.openStream();
    assertThatThrownBy(() -> c.local.sent(message(id, false))).hasMessage("the first frame must be SETTINGS");
    c.local.sent(c.local.settingsFrame());
    c.local.sent(message(id, false));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void peerIsAssumedToUseTheDefaultsUntilItsSettingsArrive(Role role) {
    StreamSettings generous = new StreamSettings(100, 1000, 5, 4096);
    Connection c = Connection.unopened(role, StreamSettings.DEFAULTS, generous);
    assertThat(c.local.peerSettings()).isEqualTo(StreamSettings.DEFAULTS);
    assertThat(c.peerSends(c.peer.settingsFrame())).isEqualTo(new Inbound.CreditGranted(0));
    assertThat(c.local.peerSettings()).isEqualTo(generous);
    assertThat(c.local.localSettings()).isEqualTo(StreamSettings.DEFAULTS);
    assertThat(c.local.role()).isEqualTo(role);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void settingsAreReceivedOnlyOnce(Role role) {
    Connection c = Connection.established(role);
    assertThat(c.injected(new StreamFrame.Settings(StreamSettings.DEFAULTS)))
        .isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, "SETTINGS may be sent only once"));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void settingsAreSentOnlyOnce(Role role) {
    Connection c = Connection.established(role);
    assertThatThrownBy(() -> c.local.sent(c.local.settingsFrame()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SETTINGS already sent");
  }

  static Stream<Arguments> settingsBelowTheDefaults() {
    return Stream.of(Role.values()).flatMap(role -> Stream.of(
        Arguments.of(role, new StreamSettings(31, 256, 100, 1 << 20), "SETTINGS: initial stream window 31 below the default 32"),
        Arguments.of(role, new StreamSettings(1, 256, 100, 1 << 20), "SETTINGS: initial stream window 1 below the default 32"),
        Arguments.of(role, new StreamSettings(32, 255, 100, 1 << 20), "SETTINGS: initial connection window 255 below the default 256")));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("settingsBelowTheDefaults")
  void windowsBelowTheDefaultsAreAConnectionError(Role role, StreamSettings settings, String reason) {
    Connection c = Connection.unopened(role);
    assertThat(c.injected(new StreamFrame.Settings(settings))).isEqualTo(new Inbound.ConnectionError(ErrorCode.PROTOCOL_ERROR, reason));
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void streamLimitAndFrameSizeMayBeLowerThanTheDefaults(Role role) {
    StreamSettings strict = new StreamSettings(32, 256, 0, StreamSettings.MIN_FRAME_PAYLOAD);
    Connection c = Connection.unopened(role);
    assertThat(c.injected(new StreamFrame.Settings(strict))).isEqualTo(new Inbound.CreditGranted(0));
    assertThat(c.local.peerSettings()).isEqualTo(strict);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void thisSidesWindowsMayNotBeBelowTheDefaultsEither(Role role) {
    assertThatThrownBy(() -> new Multiplexer(role, new StreamSettings(16, 256, 100, 1 << 20)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("local SETTINGS: initial stream window 16 below the default 32");
  }
}
