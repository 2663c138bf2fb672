package io.braid.protocol.mux;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Two {@link Multiplexer}s joined back to back: {@link #local}, the side under test in the role a
 * test is parameterized with, and {@link #peer} in the other role. A frame one side {@linkplain
 * #localSends sends} goes through the binary codec to the other side's {@code receive}, in order. A
 * misbehaving peer bypasses its multiplexer with {@link #injected}.
 */
final class Connection {
  private static final BinaryFrameCodec WIRE = new BinaryFrameCodec(StreamSettings.DEFAULTS.maxFramePayload());

  final Role role;
  final Multiplexer local;
  final Multiplexer peer;

  private Connection(Role role, StreamSettings localSettings, StreamSettings peerSettings) {
    this.role = role;
    this.local = new Multiplexer(role, localSettings);
    this.peer = new Multiplexer(role == Role.CLIENT ? Role.SERVER : Role.CLIENT, peerSettings);
  }

  /** Both sides with the defaults, nothing exchanged yet. */
  static Connection unopened(Role role) {
    return unopened(role, StreamSettings.DEFAULTS, StreamSettings.DEFAULTS);
  }

  static Connection unopened(Role role, StreamSettings localSettings, StreamSettings peerSettings) {
    return new Connection(role, localSettings, peerSettings);
  }

  /** Both sides with the defaults, SETTINGS exchanged. */
  static Connection established(Role role) {
    return established(role, StreamSettings.DEFAULTS, StreamSettings.DEFAULTS);
  }

  static Connection established(Role role, StreamSettings localSettings, StreamSettings peerSettings) {
    Connection c = new Connection(role, localSettings, peerSettings);
    assertThat(c.localSends(c.local.settingsFrame())).isEqualTo(new Inbound.CreditGranted(0));
    assertThat(c.peerSends(c.peer.settingsFrame())).isEqualTo(new Inbound.CreditGranted(0));
    return c;
  }

  /** The n-th stream id (from 1) the local side opens: odd for a client, even for a server. */
  int localStream(int n) {
    return role == Role.CLIENT ? 2 * n - 1 : 2 * n;
  }

  /** The n-th stream id (from 1) the peer opens. */
  int peerStream(int n) {
    return role == Role.CLIENT ? 2 * n : 2 * n - 1;
  }

  /** The local side sends {@code frame}; what the peer makes of it. */
  Inbound localSends(StreamFrame frame) {
    local.sent(frame);
    return peer.receive(overTheWire(frame));
  }

  /** The peer sends {@code frame}; what the local side makes of it. */
  Inbound peerSends(StreamFrame frame) {
    peer.sent(frame);
    return local.receive(overTheWire(frame));
  }

  /** A frame from a peer that ignores its own multiplexer's rules. */
  Inbound injected(StreamFrame frame) {
    return local.receive(overTheWire(frame));
  }

  /** The local side opens a stream with a first message, which the peer receives as a new stream. */
  int localOpens() {
    int id = local.openStream();
    StreamFrame.Data first = message(id, false);
    assertThat(localSends(first)).isEqualTo(new Inbound.Message(first, true));
    return id;
  }

  /** The peer opens a stream with a first message, which the local side receives as a new stream. */
  int peerOpens() {
    int id = peer.openStream();
    StreamFrame.Data first = message(id, false);
    assertThat(peerSends(first)).isEqualTo(new Inbound.Message(first, true));
    return id;
  }

  /** The window updates the local side has queued, sent to the peer, which takes each as credit. */
  List<StreamFrame> localReturnsCredit() {
    return returnCredit(local, peer);
  }

  /** The window updates the peer has queued, sent to the local side, which takes each as credit. */
  List<StreamFrame> peerReturnsCredit() {
    return returnCredit(peer, local);
  }

  private static List<StreamFrame> returnCredit(Multiplexer from, Multiplexer to) {
    List<StreamFrame> updates = new ArrayList<>();
    from.drainOutbound(updates::add);
    for (StreamFrame update : updates) {
      from.sent(update);
      assertThat(to.receive(overTheWire(update))).isIn(
          new Inbound.CreditGranted(update.streamId()),
          new Inbound.Ignored("WINDOW_UPDATE on closed stream " + update.streamId()));
    }
    return updates;
  }

  /** The frames a multiplexer queued for sending, taken out. */
  static List<StreamFrame> drain(Multiplexer mux) {
    List<StreamFrame> frames = new ArrayList<>();
    mux.drainOutbound(frames::add);
    return frames;
  }

  static StreamFrame.Data message(int streamId, boolean endStream) {
    return new StreamFrame.Data(streamId, endStream, Buffer.buffer("m" + streamId));
  }

  static StreamFrame overTheWire(StreamFrame frame) {
    List<StreamFrame> decoded = new ArrayList<>(1);
    WIRE.decode(BinaryFrameCodec.encode(frame), decoded::add);
    assertThat(decoded).hasSize(1);
    return decoded.get(0);
  }
}
