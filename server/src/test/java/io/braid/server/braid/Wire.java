package io.braid.server.braid;

import io.braid.protocol.codec.Role;
import io.braid.protocol.endpoint.EndpointListener;
import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.mux.StreamSettings;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The server's {@link StreamEndpoint}, the one a part of a Braid connection is given, wired to a client endpoint with
 * no socket: the client's messages reach the part through {@link #onServerMessage}, the part's answers reach the
 * client's list, and the test decides when what was written crosses ({@link #settle}).
 */
final class Wire {

  /** A message as one side received it. */
  record Received(int streamId, boolean endStream, BraidMessage message) {
  }

  final StreamEndpoint server;
  final StreamEndpoint client;
  final List<Received> toClient = new ArrayList<>();
  final List<String> clientEvents = new ArrayList<>();
  final List<String> serverEvents = new ArrayList<>();
  /** Whether the client consumes what it receives at once (returns the server's credit). */
  boolean clientConsumes = true;
  private Consumer<Received> onServerMessage = received -> { };
  private IntConsumer onServerStreamClosed = id -> { };
  private IntConsumer onServerCredit = id -> { };
  private final ArrayDeque<Buffer> toServerQueue = new ArrayDeque<>();
  private final ArrayDeque<Buffer> toClientQueue = new ArrayDeque<>();
  private final ArrayDeque<Runnable> flushes = new ArrayDeque<>();

  Wire() {
    server = new StreamEndpoint(Role.SERVER, StreamSettings.DEFAULTS, BinaryMessageCodec.SUBPROTOCOL,
        (text, payload) -> toClientQueue.add(payload.copy()), flushes::add, new Listener(true));
    client = new StreamEndpoint(Role.CLIENT, StreamSettings.DEFAULTS, BinaryMessageCodec.SUBPROTOCOL,
        (text, payload) -> toServerQueue.add(payload.copy()), flushes::add, new Listener(false));
    server.start();
    client.start();
    settle();
  }

  /** Where the messages the server receives go: the part under test. */
  void onServerMessage(Consumer<Received> dispatch) {
    this.onServerMessage = dispatch;
  }

  /** What the part under test does when a server stream closes, and when credit reaches the server. */
  void onServerStreamLayer(IntConsumer closed, IntConsumer credit) {
    this.onServerStreamClosed = closed;
    this.onServerCredit = credit;
  }

  /** Delivers both ways until nothing is left to cross. */
  void settle() {
    for (int round = 0; round < 1_000; round++) {
      while (!flushes.isEmpty()) {
        flushes.poll().run();
      }
      if (toServerQueue.isEmpty() && toClientQueue.isEmpty()) {
        return;
      }
      while (!toServerQueue.isEmpty()) {
        server.receive(false, toServerQueue.poll());
      }
      while (!toClientQueue.isEmpty()) {
        client.receive(false, toClientQueue.poll());
      }
    }
    throw new AssertionError("the endpoints never stopped talking");
  }

  /** The client sends {@code message} on {@code streamId} and it crosses. */
  void clientSends(int streamId, BraidMessage message, boolean endStream) {
    client.send(streamId, message, endStream);
    settle();
  }

  /** The messages the client received, of {@code type}. */
  <T extends BraidMessage> List<T> clientGot(Class<T> type) {
    return toClient.stream().map(Received::message).filter(type::isInstance).map(type::cast).toList();
  }

  private final class Listener implements EndpointListener {
    private final boolean isServer;

    Listener(boolean isServer) {
      this.isServer = isServer;
    }

    @Override
    public void onMessage(int streamId, boolean opened, boolean endStream, BraidMessage message) {
      Received received = new Received(streamId, endStream, message);
      if (isServer) {
        onServerMessage.accept(received);
      } else {
        toClient.add(received);
        if (clientConsumes) {
          client.consumed(streamId);
        }
      }
    }

    private List<String> events() {
      return isServer ? serverEvents : clientEvents;
    }

    @Override
    public void onControlError(int reasonCode, String reason) {
      events().add("control error " + reason);
    }

    @Override
    public void onConnectionError(long errorCode, String reason) {
      events().add("connection error " + reason);
    }

    @Override
    public void onWrongMessageKind(String reason) {
      events().add("wrong kind " + reason);
    }

    @Override
    public void onPeerReset(int streamId, long errorCode) {
      events().add("peer reset " + streamId + " " + errorCode);
    }

    @Override
    public void onStreamClosed(int streamId) {
      events().add("closed " + streamId);
      if (isServer) {
        onServerStreamClosed.accept(streamId);
      }
    }

    @Override
    public void onCredit(int streamId) {
      if (isServer) {
        onServerCredit.accept(streamId);
      }
    }
  }
}
