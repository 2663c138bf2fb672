package io.braid.client;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.ConnectWill;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.TopicPosition;
import io.braid.protocol.message.UserProperty;
import io.braid.protocol.mux.StreamSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;
import java.util.Random;

/**
 * A client's session with the broker across connections: connecting (trying the URIs in turn), reconnecting with
 * backoff and jitter when a connection is lost, and handing each new connection to the {@link Publisher} and the
 * {@link Subscriptions}, which resume where the last one stopped.
 *
 * <p>Confined to the client's context.
 */
final class ClientSession implements Connection.Owner {

  /** CONNACK reason codes after which trying again cannot help: the client closes. */
  private static final List<Integer> FINAL_REFUSALS = List.of(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
      ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ReasonCode.BAD_USER_NAME_OR_PASSWORD, ReasonCode.NOT_AUTHORIZED,
      ReasonCode.BANNED, ReasonCode.BAD_AUTHENTICATION_METHOD, ReasonCode.PROTOCOL_ERROR,
      ReasonCode.MALFORMED_PACKET, ReasonCode.SESSION_TAKEN_OVER, ReasonCode.TOPIC_NAME_INVALID);

  private final Vertx vertx;
  private final Context context;
  private final BraidClientOptions options;
  private final Transports transports;
  private final StreamSettings settings;
  final Publisher publisher;
  final Subscriptions subscriptions;
  private final ClientStore store;
  private final Random jitter = new Random();
  private Handler<ConnectionState> stateHandler = state -> { };
  /** Written on the context, read from any thread ({@link BraidClient#state()}). */
  private volatile ConnectionState state = new ConnectionState.Closed(null);
  private Connection connection;
  private Promise<Void> connecting;
  private int attempt;
  private int nextUri;
  private long retryTimer = -1;
  private boolean closed;

  ClientSession(Vertx vertx, Context context, BraidClientOptions options) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.transports = new Transports(vertx, options);
    this.settings = new StreamSettings(options.receiveWindow(), Math.max(256, options.receiveWindow() * 8), 100,
        1 << 20);
    this.store = options.store() != null ? options.store() : ClientStore.memory();
    this.publisher = new Publisher(vertx, context, options, store);
    this.subscriptions = new Subscriptions(context, store);
  }

  ConnectionState state() {
    return state;
  }

  void stateHandler(Handler<ConnectionState> handler) {
    this.stateHandler = handler;
  }

  /** Connects if not connected or connecting; completes on the first CONNACK that accepts. */
  Future<Void> connect() {
    if (closed) {
      return Future.failedFuture(new BraidException.Closed("the client is closed", null));
    }
    if (connection != null) {
      return Future.succeededFuture();
    }
    if (connecting == null) {
      connecting = Promise.promise();
      attempt(1);
    }
    return connecting.future();
  }

  private void attempt(int number) {
    retryTimer = -1;
    attempt = number;
    URI uri = options.uris().get(nextUri++ % options.uris().size());
    setState(new ConnectionState.Connecting(uri, number));
    Connect connect;
    try {
      connect = connectMessage();
    } catch (RuntimeException e) {
      giveUp(new BraidException.Closed("the token supplier failed: " + e, e));
      return;
    }
    Connection.open(vertx, context, transports.forUri(uri), uri, settings, connect, options.connectTimeoutMillis(),
        this).onComplete(opened -> {
          if (opened.succeeded()) {
            onOpened(opened.result());
          } else {
            retryOrGiveUp(opened.cause());
          }
        });
  }

  private Connect connectMessage() {
    Connect.Builder connect = Connect.builder(options.clientId())
        .cleanStart(options.cleanStart())
        .keepAlive(options.keepAliveSeconds())
        .sessionExpiryInterval(options.sessionExpirySeconds());
    if (options.username() != null) {
      connect.username(options.username()).password(options.password());
    }
    if (options.presence() != null) {
      connect.userProperties(List.of(new UserProperty("braid.presence", options.presence())));
    }
    if (options.tokenSupplier() != null) {
      connect.token(options.tokenSupplier().get()); // asked again on every connect: a token may be refreshed
    }
    BraidClientOptions.Will will = options.will();
    if (will != null) {
      connect.will(ConnectWill.builder(will.topic(), will.payload()).qos(will.qos()).retain(will.retain())
          .delayInterval(will.delaySeconds()).build());
    }
    return connect.build();
  }

  private void onOpened(Connection opened) {
    if (closed) {
      opened.close(ReasonCode.NORMAL_DISCONNECTION);
      return;
    }
    ConnAck connAck = opened.connAck();
    if (ReasonCode.isError(connAck.reasonCode())) {
      BraidException refusal = BraidException.refusal(connAck.reasonCode(), "the connection",
          connAck.reasonString());
      if (FINAL_REFUSALS.contains(connAck.reasonCode())) {
        giveUp(refusal);
        return;
      }
      if (connAck.reasonCode() == ReasonCode.SERVER_BUSY) {
        // the session is on its way to that server (from another node of a cluster): going to the next server
        // would only move it again
        nextUri--;
      }
      retryOrGiveUp(refusal);
      return;
    }
    connection = opened;
    attempt = 0;
    opened.keepAlive(connAck.serverKeepAlive() != BraidMessage.ABSENT ? (int) connAck.serverKeepAlive()
        : options.keepAliveSeconds());
    setState(new ConnectionState.Connected(opened.uri, connAck.sessionPresent()));
    subscriptions.attach(opened, connAck.sessionPresent());
    publisher.attach(opened);
    Promise<Void> done = connecting;
    connecting = null;
    if (done != null) {
      done.tryComplete();
    }
  }

  private void retryOrGiveUp(Throwable cause) {
    ReconnectPolicy policy = options.reconnect();
    if (closed) {
      return;
    }
    if (!policy.enabled() || policy.maxAttempts() > 0 && attempt >= policy.maxAttempts()) {
      giveUp(cause);
      return;
    }
    int next = attempt + 1;
    long delay = policy.delayMillis(next, jitter.nextDouble());
    setState(new ConnectionState.Reconnecting(next, delay, cause));
    retryTimer = vertx.setTimer(Math.max(1, delay), id -> attempt(next));
  }

  /** Closes for good: pending calls fail with {@code cause}. */
  private void giveUp(Throwable cause) {
    BraidException failure = cause instanceof BraidException braid ? braid
        : new BraidException.Closed("cannot connect: " + cause.getMessage(), cause);
    end(failure, failure);
  }

  // ------------------------------------------------------------------------------------------ Connection.Owner

  @Override
  public void onMessage(Connection from, int streamId, boolean endStream, BraidMessage message) {
    if (from != connection) {
      from.endpoint().consumed(streamId);
    } else if (publisher.owns(streamId)) {
      publisher.onAcknowledgement(streamId, message);
    } else {
      subscriptions.onMessage(from, streamId, endStream, message);
    }
  }

  @Override
  public void onCredit(Connection from, int streamId) {
    if (from == connection) {
      publisher.flush();
    }
  }

  @Override
  public void onStreamClosed(Connection from, int streamId) {
    if (from == connection) {
      publisher.onStreamClosed(streamId);
      subscriptions.onStreamClosed(streamId);
    }
  }

  @Override
  public void onGoAway(Connection from) {
    if (from == connection) {
      publisher.drain();
      subscriptions.drain();
    }
  }

  @Override
  public void onLost(Connection lost, Throwable cause) {
    if (lost != connection) {
      return;
    }
    connection = null;
    publisher.detach();
    subscriptions.detach();
    if (closed) {
      return;
    }
    if (cause instanceof BraidException.Refused refused && refused.reasonCode() == ReasonCode.SESSION_TAKEN_OVER) {
      giveUp(cause); // another client took this identifier: coming back would take it over in turn, for ever
      return;
    }
    connecting = Promise.promise();
    attempt = 0;
    retryOrGiveUp(cause);
  }

  // ------------------------------------------------------------------------------------------ closing

  /** Disconnects with {@code reasonCode} (0x00 discards the will) and closes for good. */
  Future<Void> disconnect(int reasonCode) {
    Connection current = connection;
    end(null, new BraidException.Closed("the client was closed", null));
    if (current != null) {
      current.close(reasonCode);
    }
    return transports.close();
  }

  private void end(Throwable stateCause, BraidException failure) {
    if (closed) {
      return;
    }
    closed = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    setState(new ConnectionState.Closed(stateCause)); // before the futures fail: their callers may look at it
    publisher.failAll(failure);
    subscriptions.endAll(failure);
    if (connecting != null) {
      connecting.tryFail(failure);
      connecting = null;
    }
    store.close();
  }

  boolean isClosed() {
    return closed;
  }

  private void setState(ConnectionState next) {
    state = next;
    stateHandler.handle(next);
  }

  /** The position the store kept for {@code filter}, or null. Any thread (the store is thread safe). */
  TopicPosition storedPosition(String filter) {
    return store.position(filter);
  }
}
