package io.braid.protocol.endpoint;

import io.braid.protocol.codec.Role;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A client and a server {@link StreamEndpoint} wired to each other with no socket: what one writes waits in a queue
 * until the test {@link #deliver delivers} it, and batched frames are flushed when the test says the turn ended, so
 * each test decides exactly what crosses and when.
 */
final class EndpointPair {

  /** One side: its endpoint, what its listener heard, and the WebSocket messages it wrote, not yet delivered. */
  static final class Side implements EndpointListener {
    final List<String> events = new ArrayList<>();
    final List<Received> messages = new ArrayList<>();
    final ArrayDeque<WebSocketMessage> outgoing = new ArrayDeque<>();
    final ArrayDeque<Runnable> flushes = new ArrayDeque<>();
    /** Every WebSocket message written, for tests that count them. */
    final List<WebSocketMessage> written = new ArrayList<>();
    StreamEndpoint endpoint;
    /** Consume each message as it arrives (a well-behaved application); off to withhold credit. */
    boolean consumeOnArrival = true;

    @Override
    public void onMessage(int streamId, boolean opened, boolean endStream, BraidMessage message) {
      messages.add(new Received(streamId, opened, endStream, message));
      events.add("message " + streamId + " " + message.type());
      if (consumeOnArrival) {
        endpoint.consumed(streamId);
      }
    }

    @Override
    public void onControlError(int reasonCode, String reason) {
      events.add("control error 0x" + Integer.toHexString(reasonCode) + " " + reason);
    }

    @Override
    public void onConnectionError(long errorCode, String reason) {
      events.add("connection error " + errorCode + " " + reason);
    }

    @Override
    public void onWrongMessageKind(String reason) {
      events.add("wrong kind " + reason);
    }

    @Override
    public void onStreamError(int streamId, long errorCode, String reason) {
      events.add("stream error " + streamId + " " + errorCode);
    }

    @Override
    public void onPeerReset(int streamId, long errorCode) {
      events.add("peer reset " + streamId + " " + errorCode);
    }

    @Override
    public void onCredit(int streamId) {
      events.add("credit " + streamId);
    }

    @Override
    public void onStreamClosed(int streamId) {
      events.add("closed " + streamId);
    }

    /** Ends the turn: the frames batched so far become a WebSocket message. */
    void endTurn() {
      while (!flushes.isEmpty()) {
        flushes.poll().run();
      }
    }
  }

  record Received(int streamId, boolean opened, boolean endStream, BraidMessage message) {
  }

  record WebSocketMessage(boolean text, Buffer payload) {
  }

  final Side client = new Side();
  final Side server = new Side();

  EndpointPair(String subprotocol, StreamSettings clientSettings, StreamSettings serverSettings) {
    client.endpoint = endpoint(Role.CLIENT, clientSettings, subprotocol, client);
    server.endpoint = endpoint(Role.SERVER, serverSettings, subprotocol, server);
  }

  /** Both started (SETTINGS exchanged). */
  static EndpointPair started(String subprotocol) {
    EndpointPair pair = new EndpointPair(subprotocol, StreamSettings.DEFAULTS, StreamSettings.DEFAULTS);
    pair.client.endpoint.start();
    pair.server.endpoint.start();
    pair.settle();
    pair.client.events.clear();
    pair.server.events.clear();
    return pair;
  }

  private static StreamEndpoint endpoint(Role role, StreamSettings settings, String subprotocol, Side side) {
    return new StreamEndpoint(role, settings, subprotocol, (text, payload) -> {
      WebSocketMessage message = new WebSocketMessage(text, payload.copy());
      side.outgoing.add(message);
      side.written.add(message);
    }, side.flushes::add, side);
  }

  /** Delivers what {@code from} wrote so far (ending its turn) to the other side. */
  void deliver(Side from) {
    Side to = from == client ? server : client;
    from.endTurn();
    while (!from.outgoing.isEmpty()) {
      WebSocketMessage message = from.outgoing.poll();
      to.endpoint.receive(message.text(), message.payload());
    }
  }

  /** Delivers both ways until neither side has anything left to say. */
  void settle() {
    for (int round = 0; round < 1_000; round++) {
      client.endTurn();
      server.endTurn();
      if (client.outgoing.isEmpty() && server.outgoing.isEmpty()) {
        return;
      }
      deliver(client);
      deliver(server);
    }
    throw new AssertionError("the endpoints never stopped talking");
  }

  /** Messages received by {@code side} of {@code type}. */
  static List<Received> of(Side side, Class<? extends BraidMessage> type) {
    return side.messages.stream().filter(received -> type.isInstance(received.message())).toList();
  }

  /** Sends a raw frame from {@code side} as if its endpoint had (for peers that break the rules). */
  static Buffer raw(StreamFrame... frames) {
    Buffer message = Buffer.buffer();
    for (StreamFrame frame : frames) {
      BinaryFrameCodec.encode(frame, message);
    }
    return message;
  }
}
