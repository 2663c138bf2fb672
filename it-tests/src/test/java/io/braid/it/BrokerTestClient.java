package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.MessageCodec;
import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.JsonFrameCodec;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.FrameEncoder;
import io.braid.protocol.ws.Opcode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw protocol-level Braid client for negative-path tests, not the SDK: a blocking socket ({@link RawClient}),
 * a handshake written by hand, and stream frames and messages built with the protocol module's codecs, so that a
 * test can send anything at all, well-formed or not, and read exactly what the broker answers.
 *
 * <p>It grants no credit on its own: {@link #grant} returns it explicitly, so tests control flow.
 */
final class BrokerTestClient implements AutoCloseable {

  static final String BINARY = BinaryMessageCodec.SUBPROTOCOL;
  static final String JSON = "braid.v1.json";

  private final RawClient raw;
  private final boolean json;
  private final MessageCodec codec;
  private final FrameEncoder encoder = FrameEncoder.client();
  private final BinaryFrameCodec binaryFrames = new BinaryFrameCodec(16 * 1024 * 1024);
  private final JsonFrameCodec jsonFrames = new JsonFrameCodec(16 * 1024 * 1024);
  private final ArrayDeque<StreamFrame> pending = new ArrayDeque<>();
  /** The WebSocket close frame, once one arrived. */
  private ServerFrame closeFrame;

  private BrokerTestClient(RawClient raw, String subprotocol) {
    this.raw = raw;
    this.json = JSON.equals(subprotocol);
    this.codec = MessageCodec.forSubprotocol(subprotocol);
  }

  /** Opens a WebSocket to the broker endpoint with {@code subprotocol}; {@code headers} are extra request lines. */
  static BrokerTestClient open(int port, String subprotocol, String... headers) {
    RawClient raw = RawClient.connect(port);
    String key = Handshakes.newKey();
    String[] lines = new String[headers.length + 1];
    lines[0] = "Sec-WebSocket-Protocol: " + subprotocol;
    System.arraycopy(headers, 0, lines, 1, headers.length);
    raw.write(Handshakes.request(port, "/braid", key, lines));
    HttpResponse response = raw.readResponseHead();
    raw.assertSwitchingProtocols(response, key);
    assertThat(response.header("Sec-WebSocket-Protocol")).isEqualTo(subprotocol);
    return new BrokerTestClient(raw, subprotocol);
  }

  /** Opens, sends SETTINGS and {@code connect}, and returns the CONNACK (after the server's SETTINGS). */
  static BrokerTestClient connected(int port, String subprotocol, Connect connect) {
    BrokerTestClient client = open(port, subprotocol);
    ConnAck connAck = client.connect(connect);
    assertThat(connAck.reasonCode()).as("CONNACK of %s: %s", connect.clientId(), connAck.reasonString()).isZero();
    return client;
  }

  /** Sends SETTINGS (defaults) and CONNECT; returns the CONNACK. */
  ConnAck connect(Connect connect) {
    return connect(connect, StreamSettings.DEFAULTS);
  }

  /** Sends {@code settings} and CONNECT; returns the CONNACK. */
  ConnAck connect(Connect connect, StreamSettings settings) {
    send(new StreamFrame.Settings(settings));
    send(0, false, connect);
    return (ConnAck) nextMessageOn(0);
  }

  /** Sends one frame in one WebSocket message. */
  void send(StreamFrame frame) {
    Buffer encoded = json ? JsonFrameCodec.encode(frame) : BinaryFrameCodec.encode(frame);
    sendWebSocket(json ? Opcode.TEXT : Opcode.BINARY, encoded);
  }

  /** Sends {@code message} on {@code streamId}. */
  void send(int streamId, boolean endStream, BraidMessage message) {
    send(new StreamFrame.Data(streamId, endStream, codec.encode(message)));
  }

  /** Sends raw bytes as a DATA frame's payload (a message that may not decode). */
  void sendRawData(int streamId, boolean endStream, Buffer payload) {
    send(new StreamFrame.Data(streamId, endStream, payload));
  }

  /** Sends one WebSocket message (masked, as a client must). */
  void sendWebSocket(int opcode, Buffer payload) {
    raw.write(encoder.encode(opcode, true, payload).getBytes());
  }

  /** Grants {@code increment} more frames on {@code streamId} (0: the connection). */
  void grant(int streamId, int increment) {
    send(new StreamFrame.WindowUpdate(streamId, increment));
  }

  /** The next stream frame, SETTINGS and WINDOW_UPDATE included. */
  StreamFrame nextFrame() {
    while (pending.isEmpty()) {
      ServerFrame frame = raw.readFrame();
      if (frame.opcode() == Opcode.CLOSE) {
        closeFrame = frame;
        throw new AssertionError("the server closed the WebSocket: " + frame);
      }
      if (frame.opcode() == Opcode.PING || frame.opcode() == Opcode.PONG) {
        continue;
      }
      Buffer payload = Buffer.buffer(frame.payload());
      if (json) {
        pending.add(jsonFrames.decode(payload));
      } else {
        binaryFrames.decode(payload, pending::add);
      }
    }
    return pending.poll();
  }

  /** The next DATA, RESET or GOAWAY frame, skipping SETTINGS and WINDOW_UPDATE. */
  StreamFrame nextSignificantFrame() {
    while (true) {
      StreamFrame frame = nextFrame();
      if (!(frame instanceof StreamFrame.Settings) && !(frame instanceof StreamFrame.WindowUpdate)) {
        return frame;
      }
    }
  }

  /** The next message, with its stream; fails on RESET or GOAWAY. */
  Received nextMessage() {
    StreamFrame frame = nextSignificantFrame();
    assertThat(frame).as("expected a DATA frame").isInstanceOf(StreamFrame.Data.class);
    StreamFrame.Data data = (StreamFrame.Data) frame;
    return new Received(data.streamId(), data.endStream(), codec.decode(data.payload()));
  }

  /** Decodes a DATA frame's payload in this connection's subprotocol. */
  BraidMessage decode(Buffer payload) {
    return codec.decode(payload);
  }

  /** The next message, which must travel on {@code streamId}. */
  BraidMessage nextMessageOn(int streamId) {
    Received received = nextMessage();
    assertThat(received.streamId()).as("stream of %s", received.message()).isEqualTo(streamId);
    return received.message();
  }

  /** Messages up to the close frame, which must carry {@code code}; then the TCP connection must end. */
  List<BraidMessage> expectClose(int code) {
    List<BraidMessage> before = new ArrayList<>();
    while (closeFrame == null) {
      try {
        StreamFrame frame = nextFrame();
        if (frame instanceof StreamFrame.Data data) {
          before.add(codec.decode(data.payload()));
        }
      } catch (AssertionError e) {
        if (closeFrame == null) {
          throw e;
        }
      }
    }
    assertThat(closeFrame.closeCode()).as("close code, reason '%s'", closeFrame.closeReason()).isEqualTo(code);
    try {
      // answer the close handshake; a server failing the connection (RFC 6455 §7.1.7) has closed TCP already
      raw.write(ClientFrames.close(code, ""));
      raw.readUntilClosed();
    } catch (java.io.UncheckedIOException closedAlready) {
      // broken pipe or connection reset: the server closed first, which is what is expected
    }
    return before;
  }

  /** The reason of the close frame received, once {@link #expectClose} returned. */
  String closeReason() {
    return closeFrame == null ? null : closeFrame.closeReason();
  }

  RawClient raw() {
    return raw;
  }

  @Override
  public void close() {
    raw.close();
  }

  /** A message as received: its stream, END_STREAM, and the message. */
  record Received(int streamId, boolean endStream, BraidMessage message) {
  }
}
