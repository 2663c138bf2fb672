package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.codec.Role;
import io.braid.protocol.endpoint.EndpointListener;
import io.braid.protocol.endpoint.SendResult;
import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.FrameEncoder;
import io.braid.protocol.ws.Opcode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * A well-behaved Braid client for integration tests: a blocking socket ({@link RawClient}) under the protocol
 * module's {@link StreamEndpoint}, which keeps the credit, holds messages until their stream has it, and returns
 * the broker's credit for each message when the test takes it ({@link #next}) or answers it ({@link #answer}).
 * Unlike {@link BrokerTestClient}, nothing about flow control is the test's business.
 *
 * <p>Single-threaded: the test thread writes and reads.
 */
final class EndpointTestClient implements AutoCloseable, EndpointListener {

  /** A message as received, with its stream. */
  record Received(int streamId, boolean endStream, BraidMessage message) {
  }

  private final RawClient raw;
  private final FrameEncoder encoder = FrameEncoder.client();
  private final StreamEndpoint endpoint;
  private final ArrayDeque<Received> received = new ArrayDeque<>();
  private String failure;
  private ConnAck connAck;

  private EndpointTestClient(RawClient raw, String subprotocol) {
    this.raw = raw;
    this.endpoint = new StreamEndpoint(Role.CLIENT, StreamSettings.DEFAULTS, subprotocol,
        (text, payload) -> raw.write(encoder.encode(text ? Opcode.TEXT : Opcode.BINARY, true, payload).getBytes()),
        Runnable::run, this);
  }

  /** Opens a WebSocket to the broker, sends SETTINGS and {@code connect}, and returns once CONNACK says yes. */
  static EndpointTestClient connected(int port, String subprotocol, Connect connect) {
    RawClient raw = RawClient.connect(port);
    String key = Handshakes.newKey();
    raw.write(Handshakes.request(port, "/braid", key, "Sec-WebSocket-Protocol: " + subprotocol));
    raw.assertSwitchingProtocols(raw.readResponseHead(), key);
    EndpointTestClient client = new EndpointTestClient(raw, subprotocol);
    client.endpoint.start();
    client.endpoint.send(0, connect, false);
    client.connAck = (ConnAck) client.next().message();
    assertThat(client.connAck.reasonCode()).as("CONNACK: %s", client.connAck.reasonString()).isZero();
    return client;
  }

  /** The CONNACK the broker accepted this client with. */
  ConnAck connAck() {
    return connAck;
  }

  /** Subscribes on a new stream and returns its id once the SUBACK granted it. */
  int subscribe(Subscribe subscribe) {
    int stream = endpoint.openStream();
    endpoint.send(stream, subscribe, false);
    Received subAck = next();
    assertThat(subAck.streamId()).isEqualTo(stream);
    assertThat(((SubAck) subAck.message()).reasonCode()).as("SUBACK").isLessThan(0x80);
    return stream;
  }

  /** A new stream of this client's. */
  int openStream() {
    return endpoint.openStream();
  }

  /** Sends {@code message}; if its stream has no credit, reads until it goes out. */
  void send(int streamId, BraidMessage message, boolean endStream) {
    SendResult result = endpoint.send(streamId, message, endStream);
    assertThat(result).isIn(SendResult.SENT, SendResult.QUEUED);
    while (endpoint.hasQueued(streamId)) {
      readOnce();
    }
  }

  /** Answers a message this client took with {@link #peek}, returning its credit as the answer goes out. */
  void answer(int streamId, BraidMessage answer) {
    endpoint.answer(streamId, answer, false);
  }

  /** The next message; the broker gets its credit back at once. */
  Received next() {
    Received next = peek();
    endpoint.consumed(next.streamId());
    return next;
  }

  /** The next message, whose credit comes back only with {@link #answer}. */
  Received peek() {
    while (received.isEmpty()) {
      assertThat(failure).as("the connection failed").isNull();
      readOnce();
    }
    return received.poll();
  }

  private void readOnce() {
    ServerFrame frame = raw.readFrame();
    if (frame.opcode() == Opcode.CLOSE) {
      throw new AssertionError("the server closed the WebSocket: " + frame);
    }
    if (frame.opcode() == Opcode.TEXT || frame.opcode() == Opcode.BINARY) {
      endpoint.receive(frame.opcode() == Opcode.TEXT, Buffer.buffer(frame.payload()));
    }
  }

  @Override
  public void onMessage(int streamId, boolean opened, boolean endStream, BraidMessage message) {
    received.add(new Received(streamId, endStream, message));
  }

  @Override
  public void onControlError(int reasonCode, String reason) {
    failure = "bad message on stream 0: " + reason;
  }

  @Override
  public void onConnectionError(long errorCode, String reason) {
    failure = "stream layer error: " + reason;
  }

  @Override
  public void onWrongMessageKind(String reason) {
    failure = reason;
  }

  @Override
  public void close() {
    raw.close();
  }
}
