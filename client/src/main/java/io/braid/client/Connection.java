package io.braid.client;

import io.braid.protocol.codec.Role;
import io.braid.protocol.endpoint.EndpointListener;
import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.Ping;
import io.braid.protocol.message.Pong;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.CloseCodes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket connection of a client to a broker, with its {@link StreamEndpoint}: opened, CONNECTed, then passing
 * what arrives to its {@link Owner}, and pinging within the keep-alive. It ends once ({@link Owner#onLost}).
 *
 * <p>Confined to the client's context.
 */
final class Connection implements EndpointListener {

  /** What a connection tells the client session. */
  interface Owner {

    /** A message on a stream other than 0. */
    void onMessage(Connection connection, int streamId, boolean endStream, BraidMessage message);

    /** Credit arrived on {@code streamId} (0: the connection). */
    void onCredit(Connection connection, int streamId);

    /** A stream closed. */
    void onStreamClosed(Connection connection, int streamId);

    /** The broker sent GOAWAY: it takes no new streams here; a reconnect should follow. */
    void onGoAway(Connection connection);

    /** The connection ended, with why; once. */
    void onLost(Connection connection, Throwable cause);
  }

  final URI uri;
  private final Vertx vertx;
  private final WsClientConnection ws;
  private final StreamEndpoint endpoint;
  private final Owner owner;
  private final Promise<ConnAck> connAck = Promise.promise();
  private long pingTimer = -1;
  private long lastReceivedNanos = System.nanoTime();
  private boolean ended;

  private Connection(Vertx vertx, Context context, URI uri, WsClientConnection ws, StreamSettings settings,
      Owner owner) {
    this.vertx = vertx;
    this.uri = uri;
    this.ws = ws;
    this.owner = owner;
    this.endpoint = new StreamEndpoint(Role.CLIENT, settings, ws.subprotocol(), (text, payload) -> {
      if (text) {
        ws.sendText(payload.toString(StandardCharsets.UTF_8));
      } else {
        ws.sendBinary(payload);
      }
    }, command -> context.runOnContext(v -> command.run()), this);
    ws.binaryHandler(payload -> {
      lastReceivedNanos = System.nanoTime();
      endpoint.receive(false, payload);
    });
    ws.textHandler(text -> {
      lastReceivedNanos = System.nanoTime();
      endpoint.receive(true, Buffer.buffer(text));
    });
    ws.closeHandler(reason -> lost(new BraidException.Closed("connection to " + uri + " closed: " + reason.code()
        + (reason.reason().isEmpty() ? "" : " " + reason.reason()), null)));
  }

  /**
   * Opens a WebSocket to {@code uri}, sends SETTINGS and {@code connect}; completes with the CONNACK, whatever its
   * reason code, or fails (network, handshake, no CONNACK within {@code timeoutMillis}).
   */
  static Future<Connection> open(Vertx vertx, Context context, WsClient client, URI uri, StreamSettings settings,
      Connect connect, long timeoutMillis, Owner owner) {
    int port = uri.getPort() > 0 ? uri.getPort() : "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return client.connect(port, uri.getHost(), path).compose(ws -> {
      if (ws.subprotocol() == null) {
        ws.close(CloseCodes.PROTOCOL_ERROR, "no subprotocol");
        return Future.failedFuture(new BraidException.ProtocolError(uri + " did not agree on a Braid subprotocol"));
      }
      Connection connection = new Connection(vertx, context, uri, ws, settings, owner);
      long timer = vertx.setTimer(timeoutMillis, id -> connection.connAck.tryFail(new BraidException.Timeout(
          "no CONNACK from " + uri + " within " + timeoutMillis + " ms")));
      connection.endpoint.start();
      connection.endpoint.send(0, connect, false);
      return connection.connAck.future().andThen(done -> vertx.cancelTimer(timer)).map(ack -> connection)
          .onFailure(failure -> connection.close(ReasonCode.NORMAL_DISCONNECTION));
    });
  }

  /** The CONNACK, once it came. */
  ConnAck connAck() {
    return connAck.future().result();
  }

  StreamEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Pings the broker twice within the keep-alive in force, so that a quiet client is not taken for a dead one; and
   * takes the connection for lost when the broker sent nothing for one and a half keep-alives, not even the PONG: a
   * connection that hangs (a half-open TCP connection, a stalled proxy) is then left instead of waited on for ever.
   */
  void keepAlive(int seconds) {
    if (seconds <= 0) {
      return;
    }
    long silenceLimitNanos = seconds * 1_500_000_000L;
    pingTimer = vertx.setPeriodic(Math.max(500, seconds * 1000L / 2), id -> {
      if (ended) {
        return;
      }
      if (System.nanoTime() - lastReceivedNanos > silenceLimitNanos) {
        ws.close(CloseCodes.GOING_AWAY, "keep-alive timeout");
        lost(new BraidException.Timeout("the broker at " + uri + " sent nothing for " + seconds * 3 / 2
            + " s (one and a half keep-alives)"));
        return;
      }
      endpoint.send(0, new Ping(Buffer.buffer()), false);
    });
  }

  /** Ends the connection: DISCONNECT with {@code reasonCode} (0x00 discards the will), then close 1000. */
  void close(int reasonCode) {
    if (ended) {
      return;
    }
    endpoint.send(0, Disconnect.of(reasonCode), false);
    endpoint.flush();
    ws.close(CloseCodes.NORMAL, "");
    lost(new BraidException.Closed("disconnected", null));
  }

  boolean isEnded() {
    return ended;
  }

  private void lost(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
    endpoint.stopReceiving();
    connAck.tryFail(cause);
    owner.onLost(this, cause);
  }

  // ------------------------------------------------------------------------------------------ endpoint

  @Override
  public void onMessage(int streamId, boolean opened, boolean endStream, BraidMessage message) {
    if (streamId != 0) {
      owner.onMessage(this, streamId, endStream, message);
      return;
    }
    if (message instanceof ConnAck ack) {
      connAck.tryComplete(ack);
    } else if (message instanceof Ping ping) {
      endpoint.send(0, new Pong(ping.data()), false);
    } else if (message instanceof Disconnect disconnect) {
      ws.close(CloseCodes.NORMAL, "");
      lost(BraidException.refusal(disconnect.reasonCode(), "the connection", disconnect.reasonString()));
    }
  }

  @Override
  public void onCredit(int streamId) {
    owner.onCredit(this, streamId);
  }

  @Override
  public void onStreamClosed(int streamId) {
    owner.onStreamClosed(this, streamId);
  }

  @Override
  public void onGoAway(StreamFrame.GoAway goAway) {
    owner.onGoAway(this);
  }

  @Override
  public void onControlError(int reasonCode, String reason) {
    endpoint.send(0, Disconnect.of(reasonCode, reason), false);
    endpoint.flush();
    ws.close(CloseCodes.PROTOCOL_ERROR, reason);
    lost(new BraidException.ProtocolError("the broker sent a bad message on stream 0: " + reason));
  }

  @Override
  public void onConnectionError(long errorCode, String reason) {
    ws.close(CloseCodes.PROTOCOL_ERROR, reason);
    lost(new BraidException.ProtocolError("the broker broke the stream layer: " + reason));
  }

  @Override
  public void onWrongMessageKind(String reason) {
    ws.close(CloseCodes.UNSUPPORTED_DATA, reason);
    lost(new BraidException.ProtocolError(reason));
  }
}
