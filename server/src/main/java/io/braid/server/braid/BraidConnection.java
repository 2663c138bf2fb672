package io.braid.server.braid;

import io.braid.protocol.codec.ReasonText;
import io.braid.protocol.codec.Role;
import io.braid.protocol.endpoint.EndpointListener;
import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.Auth;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.Ping;
import io.braid.protocol.message.Pong;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.Unsubscribe;
import io.braid.protocol.message.UserProperty;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.CloseReason;
import io.braid.protocol.ws.Opcode;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.frontend.ConnectOutcome;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.frontend.DeferredLink;
import io.braid.server.frontend.Disconnects;
import io.braid.server.frontend.KeepAlive;
import io.braid.server.metrics.BrokerMetrics;
import io.braid.server.websocket.WsChannel;
import io.braid.server.websocket.WsHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the broker over one WebSocket, as a thin state machine: it feeds the WebSocket's messages to its
 * {@link StreamEndpoint}, hands what comes out to the part in charge, and owns how the connection ends.
 *
 * <pre>
 *   CONNECTING --CONNACK--> CONNECTED --DISCONNECT, error, takeover, shutdown--> CLOSING --TCP closed--> CLOSED
 *       |                                                                           ^
 *       +--timeout, first message not CONNECT, refused: CONNACK with the reason----+
 * </pre>
 *
 * <p>Parts: {@link ConnectPhase} until CONNACK; then, built from the {@link ConnectedClient},
 * {@link PublicationStreams} and {@link SubscriptionStreams} (the session's deliveries), and the keep-alive. What does
 * not depend on Braid's wire is the {@link BrokerFrontEnd}'s.
 *
 * <p>Confined to the connection's event loop; the core's calls arrive there through the session's executor, and
 * results from other threads hop back before touching any state.
 */
final class BraidConnection implements WsHandler, EndpointListener, ConnectionControl, ConnectPhase.Outcome {

  private static final Logger log = LoggerFactory.getLogger(BraidConnection.class);

  enum State { CONNECTING, CONNECTED, CLOSING, CLOSED }

  private final BrokerFrontEnd frontEnd;
  private final BrokerMetrics metrics;
  private final WsChannel channel;
  private final Context context;
  private final Executor loop;
  private final StreamEndpoint endpoint;
  private final DeferredLink link;
  private final ConnectPhase connectPhase;
  private final String remote;
  /** Streams opened by the client and counted in the metrics, until they close. */
  private final IntObjectHashMap<Boolean> counted = new IntObjectHashMap<>();

  private State state = State.CONNECTING;
  private ConnectedClient client;
  private long requestedSessionExpiry;
  private boolean requestProblemInformation = true;
  private PublicationStreams publications;
  private SubscriptionStreams subscriptions;
  private KeepAlive keepAlive;
  private long keepAliveTimer = -1;
  /** A graceful shutdown is under way: the session stays as it is, will included, when the connection closes. */
  private boolean shuttingDown;
  private Runnable shutdownDone;

  BraidConnection(BrokerFrontEnd frontEnd, StreamSettings settings, List<UserProperty> limitProperties,
      WsChannel channel) {
    this.frontEnd = frontEnd;
    this.metrics = frontEnd.metrics();
    this.channel = channel;
    this.context = Vertx.currentContext();
    this.loop = BrokerFrontEnd.executorOf(context);
    this.remote = String.valueOf(channel.remoteAddress());
    this.endpoint = new StreamEndpoint(Role.SERVER, settings, channel.subprotocol(), (text, payload) -> {
      metrics.bytesSent(payload.length());
      channel.send(text ? Opcode.TEXT : Opcode.BINARY, true, payload);
    }, command -> context.runOnContext(v -> command.run()), this);
    this.link = new DeferredLink(cause -> loop.execute(() -> onBrokerClose(cause)));
    this.connectPhase = new ConnectPhase(frontEnd, limitProperties, endpoint, channel, context, link, this);
    metrics.connectionOpened();
    endpoint.start();
    connectPhase.start();
  }

  // ------------------------------------------------------------------------------------------ input

  @Override
  public void onMessage(boolean text, Buffer payload) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    metrics.bytesReceived(payload.length());
    if (keepAlive != null) {
      keepAlive.activity(System.nanoTime()); // every WebSocket message holds stream frames: any frame counts
    }
    try {
      endpoint.receive(text, payload);
    } catch (RuntimeException e) {
      log.error("internal error on the connection of client {} {}", clientId(), remote, e);
      disconnect(ReasonCode.UNSPECIFIED_ERROR, "internal error", CloseCodes.INTERNAL_ERROR);
    }
  }

  @Override
  public void onMessage(int streamId, boolean opened, boolean endStream, BraidMessage message) {
    if (opened) {
      counted.put(streamId, Boolean.TRUE);
      metrics.streamOpened();
    }
    switch (state) {
      case CONNECTING -> connectPhase.onMessage(streamId, opened, endStream, message);
      case CONNECTED -> dispatch(streamId, endStream, message);
      default -> endpoint.consumed(streamId);
    }
  }

  private void dispatch(int id, boolean endStream, BraidMessage message) {
    if (message instanceof Publish publish) {
      publications.onPublish(id, endStream, publish);
    } else if (message instanceof PubRel rel) {
      publications.onPubRel(id, endStream, rel);
    } else if (message instanceof Subscribe subscribe) {
      subscriptions.onSubscribe(id, endStream, subscribe);
    } else if (message instanceof Unsubscribe) {
      subscriptions.onUnsubscribe(id);
    } else if (message instanceof PubAck || message instanceof PubRec || message instanceof PubComp) {
      subscriptions.onAcknowledgement(id, endStream, message);
    } else if (message instanceof Ping ping) {
      endpoint.send(0, new Pong(ping.data()), false);
    } else if (message instanceof Disconnect disconnect) {
      onClientDisconnect(disconnect);
    } else if (message instanceof Connect) {
      disconnect(ReasonCode.PROTOCOL_ERROR, "a second CONNECT [MQTT-3.1.0-2]", CloseCodes.PROTOCOL_ERROR);
    } else if (message instanceof Auth) {
      disconnect(ReasonCode.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not supported",
          CloseCodes.POLICY_VIOLATION);
    }
    // PONG: activity only
  }

  // ------------------------------------------------------------------------------------------ connected

  @Override
  public void connected(ConnectOutcome.Accepted accepted, Connect connect, List<ConnectPhase.Deferred> deferred) {
    client = accepted.client();
    requestedSessionExpiry = connect.sessionExpiryInterval();
    requestProblemInformation = connect.requestProblemInformation();
    state = State.CONNECTED;
    publications = new PublicationStreams(endpoint, client, frontEnd.publishGate(client), this, loop,
        (delayMillis, task) -> frontEnd.vertx().setTimer(delayMillis, timer -> loop.execute(task)));
    subscriptions = new SubscriptionStreams(endpoint, client, frontEnd.subscribeGate(client), this, metrics,
        channel::writeQueueFull, loop);
    link.connect(subscriptions);
    client.session().start();
    keepAlive = new KeepAlive(client.keepAliveSeconds(), System.nanoTime());
    keepAliveTimer = frontEnd.vertx().setPeriodic(KeepAlive.checkEveryMillis(client.keepAliveSeconds()),
        id -> checkKeepAlive());
    for (ConnectPhase.Deferred message : deferred) {
      if (state != State.CONNECTED) {
        break;
      }
      dispatch(message.streamId(), message.endStream(), message.message());
    }
  }

  private void checkKeepAlive() {
    long silentMillis = state == State.CONNECTED ? keepAlive.overdueMillis(System.nanoTime()) : -1;
    if (silentMillis >= 0) {
      metrics.limitHit("keep_alive");
      disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "no message for " + silentMillis + " ms, 1.5 times the keep-alive of "
          + client.keepAliveSeconds() + " s", CloseCodes.POLICY_VIOLATION);
    }
  }

  private void onClientDisconnect(Disconnect disconnect) {
    Disconnects.Violation violation = Disconnects.clientDisconnect(client.session(), disconnect.reasonCode(),
        disconnect.sessionExpiryInterval(), requestedSessionExpiry,
        frontEnd.config().sessions().maxSessionExpirySeconds());
    if (violation != null) {
      disconnect(violation.reasonCode(), violation.reason(), CloseCodes.PROTOCOL_ERROR);
      return;
    }
    log.info("disconnected client_id={} remote={} reason_code=0x{}", clientId(), remote,
        Integer.toHexString(disconnect.reasonCode()));
    close(CloseCodes.NORMAL, "");
  }

  /** The session ends this connection (takeover, administrator, queue overflow, shutdown). */
  private void onBrokerClose(DisconnectCause cause) {
    String reason = Disconnects.reason(cause);
    log.info("disconnecting client_id={} remote={} reason_code=0x{} reason=\"{}\"", clientId(), remote,
        Integer.toHexString(cause.code()), reason);
    if (cause == DisconnectCause.QUOTA_EXCEEDED) {
      metrics.limitHit("queued_messages");
      disconnect(cause.code(), reason, CloseCodes.POLICY_VIOLATION);
    } else {
      disconnect(cause.code(), reason, CloseCodes.NORMAL);
    }
  }

  // ------------------------------------------------------------------------------------------ stream layer

  @Override
  public void onControlError(int reasonCode, String reason) {
    log.info("message error from client {} {} on stream 0: {}", clientId(), remote, reason);
    if (state == State.CONNECTING) {
      metrics.protocolError(CloseCodes.PROTOCOL_ERROR);
      connectPhase.refuse(reasonCode, reason, CloseCodes.PROTOCOL_ERROR);
    } else {
      disconnect(reasonCode, reason, CloseCodes.PROTOCOL_ERROR); // counts the protocol error
    }
  }

  @Override
  public void onConnectionError(long errorCode, String reason) {
    log.info("stream layer error from client {} {}: {} {}", clientId(), remote, ErrorCode.name(errorCode), reason);
    metrics.protocolError(CloseCodes.PROTOCOL_ERROR);
    loseSession();
    close(CloseCodes.PROTOCOL_ERROR, reason);
  }

  @Override
  public void onWrongMessageKind(String reason) {
    log.info("client {} {} sent the wrong kind of message: {}", clientId(), remote, reason);
    metrics.protocolError(CloseCodes.UNSUPPORTED_DATA);
    loseSession();
    close(CloseCodes.UNSUPPORTED_DATA, reason);
  }

  @Override
  public void onStreamError(int streamId, long errorCode, String reason) {
    log.info("stream error from client {} {} on stream {}: {}", clientId(), remote, streamId, reason);
    metrics.streamError(ErrorCode.name(errorCode));
    if (errorCode == ErrorCode.REFUSED_STREAM) {
      metrics.limitHit("streams");
    }
  }

  @Override
  public void onCredit(int streamId) {
    if (state == State.CONNECTED) {
      publications.onCredit(streamId);
      subscriptions.resume();
    }
  }

  @Override
  public void onStreamClosed(int streamId) {
    if (counted.remove(streamId) != null) {
      metrics.streamClosed();
    }
    if (publications != null) {
      publications.onStreamClosed(streamId);
      subscriptions.onStreamClosed(streamId);
    }
    answered();
  }

  // ------------------------------------------------------------------------------------------ endings

  @Override
  public void disconnect(int reasonCode, String reason, int closeCode) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (closeCode == CloseCodes.PROTOCOL_ERROR) {
      metrics.protocolError(closeCode);
    }
    if (state == State.CONNECTED) {
      endpoint.send(0, Disconnect.of(reasonCode, reasonString(reason)), false);
    }
    loseSession();
    close(closeCode, reason);
  }

  @Override
  public String reasonString(String reason) {
    return requestProblemInformation ? ReasonText.of(reason) : null;
  }

  @Override
  public void failed(int closeCode, String reason) {
    close(closeCode, reason);
  }

  /** The connection ends without a normal DISCONNECT: the session's will stands. */
  private void loseSession() {
    if (client != null && client.session().isAttached()) {
      client.session().connectionLost();
    }
  }

  private void close(int closeCode, String reason) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    state = State.CLOSING;
    stopParts();
    endpoint.flush();
    channel.close(closeCode, ReasonText.of(reason)); // the close frame cuts it further to fit (RFC 6455 §5.5)
  }

  private void stopParts() {
    connectPhase.cancel();
    endpoint.stopReceiving();
    if (keepAliveTimer >= 0) {
      frontEnd.vertx().cancelTimer(keepAliveTimer);
      keepAliveTimer = -1;
    }
    if (publications != null) {
      publications.close();
      subscriptions.close();
    }
  }

  @Override
  public void onClosed(CloseReason reason) {
    State before = state;
    state = State.CLOSED;
    stopParts();
    if (client != null && client.session().isAttached() && !shuttingDown) {
      client.session().connectionLost();
    }
    for (int i = 0; i < counted.size(); i++) {
      metrics.streamClosed();
    }
    counted.clear();
    metrics.connectionClosed();
    if (client != null) {
      log.info("connection closed client_id={} remote={} close_code={} state={}", client.clientId(), remote,
          reason.code(), before);
    }
    finishShutdown();
  }

  @Override
  public void onDrain() {
    if (state == State.CONNECTED) {
      subscriptions.resume();
    }
  }

  /**
   * Graceful shutdown: GOAWAY (no new streams), let the publishes in progress be acknowledged, then DISCONNECT
   * 0x8B and close 1001. The session is left as it is: its will, if any, is due only if the broker does not come
   * back within its delay.
   */
  @Override
  public void onShutdown(Runnable done) {
    if (state != State.CONNECTED) {
      done.run();
      return;
    }
    shuttingDown = true;
    shutdownDone = done;
    endpoint.goAway(ErrorCode.NO_ERROR, "server shutting down", null);
    answered();
  }

  @Override
  public void answered() {
    if (!shuttingDown || state != State.CONNECTED || publications.owesAcknowledgements()) {
      return;
    }
    endpoint.send(0, Disconnect.of(ReasonCode.SERVER_SHUTTING_DOWN, reasonString("server shutting down")), false);
    endpoint.flush();
    state = State.CLOSING;
    stopParts();
    finishShutdown();
  }

  private void finishShutdown() {
    Runnable done = shutdownDone;
    if (done != null && state != State.CONNECTED) {
      shutdownDone = null;
      done.run();
    }
  }

  private String clientId() {
    return client == null ? null : client.clientId();
  }
}
