package io.braid.server.broker;

import io.braid.protocol.message.Auth;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.codec.MalformedException;
import io.braid.protocol.codec.ReasonText;
import io.braid.protocol.message.MessageCodec;
import io.braid.protocol.message.MessagePlacement;
import io.braid.protocol.message.MessageType;
import io.braid.protocol.message.Ping;
import io.braid.protocol.message.Pong;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.PubComp;
import io.braid.protocol.message.PubRec;
import io.braid.protocol.message.PubRel;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.UnsubAck;
import io.braid.protocol.message.Unsubscribe;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.Inbound;
import io.braid.protocol.mux.Multiplexer;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamLayerException;
import io.braid.protocol.mux.StreamState;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.CloseReason;
import io.braid.protocol.ws.MessageAssembler;
import io.braid.protocol.ws.MessageSink;
import io.braid.protocol.ws.Role;
import io.braid.protocol.ws.Utf8Validator;
import io.braid.protocol.ws.WsFrame;
import io.braid.pubsub.broker.AckReason;
import io.braid.pubsub.broker.ClientLink;
import io.braid.pubsub.broker.ConnectRequest;
import io.braid.pubsub.broker.ConnectResult;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.pubsub.broker.OutboundPublish;
import io.braid.pubsub.broker.SessionHandle;
import io.braid.pubsub.message.ApplicationMessage;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.subscription.SubscriptionOptions;
import io.braid.pubsub.topic.InvalidTopicException;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import io.braid.server.WsChannel;
import io.braid.server.WsHandler;
import io.braid.server.auth.AuthResult;
import io.braid.server.auth.BearerToken;
import io.braid.server.auth.ClientAccess;
import io.braid.server.auth.Credentials;
import io.braid.server.auth.Principal;
import io.braid.server.broker.BrokerStreams.Answer;
import io.braid.server.broker.BrokerStreams.ClientStream;
import io.braid.server.broker.BrokerStreams.PendingAck;
import io.braid.server.broker.BrokerStreams.PublicationStream;
import io.braid.server.broker.BrokerStreams.SubscriptionStream;
import io.braid.server.config.BrokerConfig;
import io.braid.server.limits.TokenBucket;
import io.netty.util.collection.IntObjectHashMap;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the broker over one WebSocket: the stream layer ({@link Multiplexer}), the messages, and the
 * client's session in the pub/sub core, as a state machine.
 *
 * <pre>
 *   AWAITING_CONNECT --CONNECT--> AUTHENTICATING --accepted, session attached: CONNACK--> CONNECTED
 *          |                              |                                                  |
 *          +--timeout, wrong first msg----+--refused: CONNACK with the reason---------------+--> CLOSING --> CLOSED
 * </pre>
 *
 * <p>Streams: SUBSCRIBE opens a subscription's stream (its SUBACK, deliveries and PUBREL go out there, its acks
 * come in, UNSUBSCRIBE or RESET ends it); a PUBLISH opens a publication stream (acknowledgements go back there, in
 * order). The connection is the session's {@link ClientLink}: a subscription is writable while its stream has
 * credit and the socket has room, so one stalled subscription holds back only itself.
 *
 * <p>Confined to the connection's event loop; the core's calls arrive there through the session's executor, and
 * results from other threads (authentication, store syncs, takeovers) hop back before touching any state.
 */
final class BrokerConnection implements WsHandler, ClientLink, MessageSink {

  private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);
  /**
   * Messages a client may send after CONNECT and before CONNACK. Streams other than 0 are bounded by their credit;
   * this bounds stream 0 (PINGs) too.
   */
  static final int MAX_DEFERRED = 1_000;

  enum State { AWAITING_CONNECT, AUTHENTICATING, CONNECTED, CLOSING, CLOSED }

  private final BrokerServices services;
  private final BrokerConfig config;
  private final WsChannel channel;
  private final Context context;
  private final Executor loop;
  private final StreamWire wire;
  private final MessageCodec codec;
  private final Multiplexer mux;
  private final MessageAssembler assembler = new MessageAssembler(this);
  private final String remote;
  private final IntObjectHashMap<ClientStream> streams = new IntObjectHashMap<>();
  private final Map<TopicFilter, SubscriptionStream> subscriptions = new HashMap<>();
  /**
   * Inbound QoS 2 packet identifiers whose exchange started on a stream of this connection and is not yet
   * released, with that stream: the same identifier on another open stream is a new message reusing it (PUBREC
   * 0x91), while one whose stream is gone, like one from an earlier connection, is a retransmission.
   */
  private final IntObjectHashMap<PublicationStream> qos2InUse = new IntObjectHashMap<>();
  /** Messages that arrived after CONNECT and before CONNACK, processed once the session is attached. */
  private final ArrayDeque<Received> deferred = new ArrayDeque<>();
  private final TokenBucket publishRate;

  private State state = State.AWAITING_CONNECT;
  private String clientId;
  private Principal principal;
  /** What the client may publish and subscribe to, resolved once authenticated. */
  private ClientAccess access;
  private SessionHandle session;
  private boolean requestProblemInformation = true;
  private long requestedSessionExpiry;
  private int keepAliveSeconds;
  private long lastActivityNanos = System.nanoTime();
  private long timerId = -1;
  private boolean shuttingDown;
  private Runnable shutdownDone;

  /** One message received before the session was attached. */
  private record Received(int streamId, boolean opened, boolean endStream, BraidMessage message) {
  }

  BrokerConnection(BrokerServices services, WsChannel channel) {
    this.services = services;
    this.config = services.config;
    this.channel = channel;
    this.context = Vertx.currentContext();
    this.loop = command -> context.runOnContext(v -> command.run());
    this.codec = MessageCodec.forSubprotocol(channel.subprotocol());
    this.wire = new StreamWire(channel, context, services.metrics, config.limits().maxMessageBytes());
    this.mux = new Multiplexer(Role.SERVER, services.streamSettings);
    this.remote = String.valueOf(channel.remoteAddress());
    this.publishRate = new TokenBucket(config.limits().publishRatePerClient(), System.nanoTime());
    services.metrics.connectionOpened();
    send(mux.settingsFrame());
    timerId = services.vertx.setTimer(config.sessions().connectTimeoutMillis(), id -> onConnectTimeout());
  }

  // ------------------------------------------------------------------------------------------ input

  @Override
  public void onDataFrame(WsFrame frame) {
    assembler.onFrame(frame);
  }

  @Override
  public void onText(Buffer utf8) {
    onWebSocketMessage(true, utf8);
  }

  @Override
  public void onBinary(Buffer data) {
    onWebSocketMessage(false, data);
  }

  @Override
  public void onPing(Buffer payload) {
  }

  @Override
  public void onPong(Buffer payload) {
  }

  @Override
  public void onClose(CloseReason reason) {
  }

  private void onWebSocketMessage(boolean text, Buffer message) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    try {
      wire.decode(text, message, this::onFrame);
    } catch (StreamLayerException e) {
      connectionError(e.errorCode(), e.reason());
    } catch (StreamWire.WrongMessageKind e) {
      log.info("client {} {} sent the wrong kind of message: {}", clientId, remote, e.getMessage());
      services.metrics.protocolError(CloseCodes.UNSUPPORTED_DATA);
      close(CloseCodes.UNSUPPORTED_DATA, e.getMessage());
    } catch (RuntimeException e) {
      log.error("internal error on the connection of client {} {}", clientId, remote, e);
      serverDisconnect(ReasonCode.UNSPECIFIED_ERROR, "internal error", CloseCodes.INTERNAL_ERROR);
    }
    drainStreamLayer();
  }

  private void onFrame(StreamFrame frame) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    lastActivityNanos = System.nanoTime();
    Inbound inbound = mux.receive(frame);
    if (inbound instanceof Inbound.Message message) {
      onStreamMessage(message.frame(), message.opened());
    } else if (inbound instanceof Inbound.CreditGranted credit) {
      onCredit(credit.streamId());
    } else if (inbound instanceof Inbound.StreamReset reset) {
      onClientReset(reset.streamId());
    } else if (inbound instanceof Inbound.StreamError error) {
      log.info("stream error from client {} {} on stream {}: {}", clientId, remote, error.streamId(),
          error.reason());
      services.metrics.streamError(ErrorCode.name(error.errorCode()));
      if (error.errorCode() == ErrorCode.REFUSED_STREAM) {
        services.metrics.limitHit("streams");
      }
      sendReset(error.streamId(), error.errorCode());
    } else if (inbound instanceof Inbound.ConnectionError error) {
      connectionError(error.errorCode(), error.reason());
    }
    // Handled, Ignored, PeerGoingAway: nothing to do
  }

  private void onStreamMessage(StreamFrame.Data data, boolean opened) {
    int id = data.streamId();
    BraidMessage message;
    try {
      message = codec.decode(data.payload());
    } catch (MalformedException e) {
      messageError(id, opened, ReasonCode.MALFORMED_PACKET, e.getMessage());
      return;
    }
    MessageType opener = id == 0 || opened ? null : openerOf(id);
    String violation = MessagePlacement.check(Role.CLIENT, id, opener, message);
    if (violation != null) {
      messageError(id, opened, ReasonCode.PROTOCOL_ERROR, violation);
      return;
    }
    if (opened) {
      streams.put(id, message instanceof Subscribe ? new SubscriptionStream(id) : new PublicationStream(id));
      services.metrics.streamOpened();
    }
    switch (state) {
      case AWAITING_CONNECT -> {
        if (message instanceof Connect connect) {
          onConnect(connect);
        } else {
          services.metrics.limitHit("connect_first");
          refuseConnection(ReasonCode.PROTOCOL_ERROR, "CONNECT must be the first message [MQTT-3.1.0-1], got "
              + message.type(), CloseCodes.POLICY_VIOLATION);
        }
      }
      case AUTHENTICATING -> {
        if (deferred.size() >= MAX_DEFERRED) {
          services.metrics.limitHit("before_connack");
          refuseConnection(ReasonCode.QUOTA_EXCEEDED, "more than " + MAX_DEFERRED + " messages before CONNACK",
              CloseCodes.POLICY_VIOLATION);
          return;
        }
        deferred.add(new Received(id, opened, data.endStream(), message));
      }
      case CONNECTED -> dispatch(id, opened, data.endStream(), message);
      default -> { }
    }
    ClientStream stream = id == 0 ? null : streams.get(id);
    if (stream != null) {
      forgetIfClosed(stream); // its END_STREAM may have closed it
    }
  }

  private MessageType openerOf(int id) {
    ClientStream stream = streams.get(id);
    return stream == null ? MessageType.PUBLISH : stream.opener();
  }

  private void dispatch(int id, boolean opened, boolean endStream, BraidMessage message) {
    if (message instanceof Publish publish) {
      onPublish(id, endStream, publish);
    } else if (message instanceof Subscribe subscribe) {
      onSubscribe(id, endStream, subscribe);
    } else if (message instanceof PubAck ack) {
      session.pubAck(ack.packetId());
      afterSubscriptionMessage(id, endStream);
    } else if (message instanceof PubRec rec) {
      session.pubRec(rec.packetId(), ReasonCode.isError(rec.reasonCode()));
      afterSubscriptionMessage(id, endStream);
    } else if (message instanceof PubComp comp) {
      session.pubComp(comp.packetId());
      afterSubscriptionMessage(id, endStream);
    } else if (message instanceof PubRel rel) {
      onPubRel(id, endStream, rel);
    } else if (message instanceof Unsubscribe) {
      mux.consumed(id);
      endSubscription(id, endStream);
    } else if (message instanceof Ping ping) {
      send(new StreamFrame.Data(0, false, codec.encode(new Pong(ping.data()))));
    } else if (message instanceof Disconnect disconnect) {
      onClientDisconnect(disconnect);
    } else if (message instanceof Connect) {
      serverDisconnect(ReasonCode.PROTOCOL_ERROR, "a second CONNECT [MQTT-3.1.0-2]", CloseCodes.PROTOCOL_ERROR);
    } else if (message instanceof Auth) {
      serverDisconnect(ReasonCode.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not supported",
          CloseCodes.POLICY_VIOLATION);
    }
    // Pong: activity only
  }

  // ---------------------------------------------------------------------------------------- connect

  private void onConnect(Connect connect) {
    cancelTimer();
    state = State.AUTHENTICATING;
    requestProblemInformation = connect.requestProblemInformation();
    requestedSessionExpiry = connect.sessionExpiryInterval();
    BrokerConfig.Sessions limits = config.sessions();
    boolean assigned = connect.clientId().isEmpty();
    clientId = assigned ? "braid-" + UUID.randomUUID() : connect.clientId();
    if (clientId.getBytes(StandardCharsets.UTF_8).length > limits.maxClientIdLength()) {
      services.metrics.limitHit("client_id_length");
      refuseConnection(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client identifier longer than "
          + limits.maxClientIdLength() + " bytes", CloseCodes.POLICY_VIOLATION);
      return;
    }
    if (connect.authMethod() != null) {
      services.metrics.authenticationFailed(ReasonCode.BAD_AUTHENTICATION_METHOD);
      refuseConnection(ReasonCode.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not supported (authMethod "
          + ReasonText.quote(connect.authMethod()) + "): send a user name and password, or a token",
          CloseCodes.POLICY_VIOLATION);
      return;
    }
    if (clientId.indexOf('\u0000') >= 0) {
      refuseConnection(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client identifier contains U+0000 [MQTT-1.5.4-2]",
          CloseCodes.POLICY_VIOLATION);
      return;
    }
    Will will = null;
    if (connect.will() != null) {
      try {
        TopicName topic = TopicName.parse(connect.will().topic(), services.topicLimits);
        will = MessageMapping.toWill(clientId, topic, connect.will());
      } catch (InvalidTopicException e) {
        refuseConnection(ReasonCode.TOPIC_NAME_INVALID, "will topic: " + e.getMessage(),
            CloseCodes.POLICY_VIOLATION);
        return;
      }
    }
    keepAliveSeconds = connect.keepAlive() == 0 || connect.keepAlive() > limits.maxKeepAliveSeconds()
        ? limits.maxKeepAliveSeconds() : connect.keepAlive();
    boolean keepAliveChanged = keepAliveSeconds != connect.keepAlive();
    String token = connect.token() != null ? connect.token() : bearerToken();
    Credentials credentials = new Credentials(clientId, connect.username(), connect.password(), token, remote);
    Will connectWill = will;
    services.authenticator.authenticate(credentials).onComplete(result -> onLoop(() -> {
      if (result.succeeded()) {
        onAuthenticated(connect, assigned, keepAliveChanged, connectWill, result.result());
      } else {
        onAuthenticated(connect, assigned, keepAliveChanged, connectWill,
            new AuthResult.Refused(ReasonCode.UNSPECIFIED_ERROR, "authentication failed: " + result.cause()));
      }
    }));
  }

  private String bearerToken() {
    return channel.request() == null ? null : BearerToken.of(channel.request().headers().get("Authorization"));
  }

  private void onAuthenticated(Connect connect, boolean assigned, boolean keepAliveChanged, Will will,
      AuthResult result) {
    if (state != State.AUTHENTICATING) {
      return; // the connection closed meanwhile
    }
    if (result instanceof AuthResult.Refused refused) {
      services.metrics.authenticationFailed(refused.reasonCode());
      log.info("connect refused client_id={} remote={} reason_code=0x{} reason=\"{}\"", clientId, remote,
          Integer.toHexString(refused.reasonCode()), refused.reason());
      refuseConnection(refused.reasonCode(), refused.reason(), CloseCodes.POLICY_VIOLATION);
      return;
    }
    principal = ((AuthResult.Accepted) result).principal();
    access = services.acl.forClient(principal, clientId);
    if (will != null && !access.canPublish(will.message().topic())) {
      services.metrics.aclDenied("will");
      refuseConnection(ReasonCode.NOT_AUTHORIZED, "not authorized to publish the will to "
          + will.message().topic().asString(), CloseCodes.POLICY_VIOLATION);
      return;
    }
    BrokerConfig.Sessions limits = config.sessions();
    long expiry = Math.min(connect.sessionExpiryInterval(), limits.maxSessionExpirySeconds());
    ConnectRequest request = new ConnectRequest(clientId, connect.cleanStart(), expiry, limits.maxInflight(), will);
    services.broker.connect(request, this, loop).whenComplete((connected, failure) -> onLoop(() -> {
      if (failure != null && state != State.AUTHENTICATING) {
        return; // closed meanwhile, and nothing was attached
      }
      if (failure != null) {
        log.error("cannot attach the session of client {}", clientId, failure);
        refuseConnection(ReasonCode.UNSPECIFIED_ERROR, "the session could not be attached",
            CloseCodes.INTERNAL_ERROR);
      } else {
        onSessionAttached(connect, assigned, keepAliveChanged, connected);
      }
    }));
  }

  private void onSessionAttached(Connect connect, boolean assigned, boolean keepAliveChanged, ConnectResult result) {
    if (state != State.AUTHENTICATING) {
      result.handle().connectionLost(); // closed while attaching: the session is left as after any lost connection
      return;
    }
    session = result.handle();
    state = State.CONNECTED;
    ConnAck.Builder connAck = ConnAck.builder(ReasonCode.SUCCESS)
        .sessionPresent(result.sessionPresent())
        .maximumMessageSize(config.limits().maxMessageBytes())
        .userProperties(services.limitProperties);
    if (assigned) {
      connAck.assignedClientId(clientId);
    }
    if (keepAliveChanged) {
      connAck.serverKeepAlive(keepAliveSeconds);
    }
    if (result.sessionExpiryInterval() != connect.sessionExpiryInterval()) {
      connAck.sessionExpiryInterval(result.sessionExpiryInterval());
    }
    send(new StreamFrame.Data(0, false, codec.encode(connAck.build())));
    services.metrics.connectAccepted();
    log.info("connected client_id={} remote={} user={} auth={} session_present={} clean_start={} keep_alive={} "
            + "subprotocol={}", clientId, remote, principal.username(), principal.method(), result.sessionPresent(),
        connect.cleanStart(), keepAliveSeconds, channel.subprotocol());
    session.start();
    long checkEvery = Math.max(250, keepAliveSeconds * 1000L / 4);
    timerId = services.vertx.setPeriodic(checkEvery, id -> checkKeepAlive());
    while (!deferred.isEmpty() && state == State.CONNECTED) {
      Received received = deferred.poll();
      dispatch(received.streamId(), received.opened(), received.endStream(), received.message());
    }
    drainStreamLayer();
  }

  // ------------------------------------------------------------------------------------- subscribe

  private void onSubscribe(int id, boolean endStream, Subscribe subscribe) {
    mux.consumed(id);
    if (!(streams.get(id) instanceof SubscriptionStream stream)) {
      return; // reset before the session was attached
    }
    stream.clientEnded = endStream;
    TopicFilter filter;
    try {
      filter = TopicFilter.parse(subscribe.topicFilter(), services.topicLimits);
    } catch (InvalidTopicException e) {
      services.metrics.limitHit("topic_filter");
      refuseSubscription(stream, ReasonCode.TOPIC_FILTER_INVALID, e.getMessage());
      return;
    }
    if (filter.isShared() && subscribe.options().noLocal()) {
      refuseSubscription(stream, ReasonCode.TOPIC_FILTER_INVALID,
          "No Local must not be set on a shared subscription [MQTT-3.8.3-4]");
      return;
    }
    SubscriptionStream existing = subscriptions.get(filter);
    if (existing != null) {
      refuseSubscription(stream, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "already subscribed to "
          + filter.asString() + " on stream " + existing.id + " of this connection");
      return;
    }
    if (!access.canSubscribe(filter)) {
      services.metrics.aclDenied("subscribe");
      log.info("subscribe denied client_id={} user={} filter={}", clientId, principal.username(), filter);
      refuseSubscription(stream, ReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to " + filter.asString());
      return;
    }
    List<io.braid.pubsub.subscription.Subscription> current = session.subscriptions();
    boolean known = current.stream().anyMatch(subscription -> subscription.filter().equals(filter));
    if (!known && current.size() >= config.sessions().maxSubscriptions()) {
      services.metrics.limitHit("subscriptions");
      refuseSubscription(stream, ReasonCode.QUOTA_EXCEEDED, "at most " + config.sessions().maxSubscriptions()
          + " subscriptions per session");
      return;
    }
    SubscriptionOptions options = MessageMapping.toOptions(subscribe);
    stream.filter = filter;
    subscriptions.put(filter, stream);
    // SUBACK first: the retained messages the subscribe queues reach the stream after it
    answer(stream, SubAck.of(options.maxQos()), false);
    session.subscribe(filter, options);
    session.resume();
    if (endStream) {
      endSubscription(id, true); // END_STREAM on any message of a subscription's stream ends it
    }
  }

  private void refuseSubscription(SubscriptionStream stream, int reasonCode, String reason) {
    answer(stream, new SubAck(reasonCode, reasonString(reason), List.of()), true);
  }

  /** After an acknowledgement on a subscription stream: the client may have ended the stream with it. */
  private void afterSubscriptionMessage(int id, boolean endStream) {
    mux.consumed(id);
    if (endStream) {
      endSubscription(id, true);
    }
  }

  /**
   * The client ended a subscription (UNSUBSCRIBE, or END_STREAM on its stream): unsubscribe and answer with UNSUBACK,
   * which ends the server's side. {@code clientEnded}: the client sent END_STREAM with it.
   */
  private void endSubscription(int id, boolean clientEnded) {
    if (!(streams.get(id) instanceof SubscriptionStream subscription)) {
      return;
    }
    subscription.clientEnded |= clientEnded;
    boolean existed = dropSubscription(subscription);
    if (!subscription.serverEnded) {
      answer(subscription, UnsubAck.of(existed ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED), true);
    }
    forgetIfClosed(subscription);
  }

  private void onClientReset(int id) {
    ClientStream stream = streams.get(id);
    if (stream != null) {
      forgetIfClosed(stream); // a RESET closes the stream in the stream layer
    }
    maybeFinishShutdown();
  }

  // --------------------------------------------------------------------------------------- publish

  private void onPublish(int id, boolean endStream, Publish publish) {
    if (!(streams.get(id) instanceof PublicationStream stream)) {
      mux.consumed(id);
      return; // reset before the session was attached
    }
    stream.clientEnded |= endStream;
    int qos = publish.qos();
    if (qos > 0) {
      stream.owed++;
    }
    PublicationStream holder = qos == 2 ? qos2InUse.get(publish.packetId()) : null;
    if (holder != null && streams.get(holder.id) == holder) {
      refusePublish(stream, publish, ReasonCode.PACKET_IDENTIFIER_IN_USE, "packet identifier "
          + publish.packetId() + " is in use by the unreleased QoS 2 publish on stream " + holder.id);
      return;
    }
    TopicName topic;
    try {
      topic = TopicName.parse(publish.topic(), services.topicLimits);
    } catch (InvalidTopicException e) {
      services.metrics.limitHit("topic_name");
      refusePublish(stream, publish, ReasonCode.TOPIC_NAME_INVALID, e.getMessage());
      return;
    }
    if (publish.payloadFormatIndicator() == 1 && !isUtf8(publish.payload())) {
      refusePublish(stream, publish, ReasonCode.PAYLOAD_FORMAT_INVALID,
          "payload format indicator says UTF-8 but the payload is not");
      return;
    }
    if (!access.canPublish(topic)) {
      services.metrics.aclDenied("publish");
      log.info("publish denied client_id={} user={} topic={} qos={}", clientId, principal.username(), topic, qos);
      if (qos == 0) {
        services.metrics.messageRefused("not_authorized");
        mux.consumed(id);
        closeIfDone(stream);
      } else {
        refusePublish(stream, publish, ReasonCode.NOT_AUTHORIZED, "not authorized to publish to "
            + topic.asString());
      }
      return;
    }
    if (!publishRate.tryAcquire(System.nanoTime())) {
      services.metrics.limitHit("publish_rate");
      if (qos == 0) {
        services.metrics.messageRefused("rate_limited");
        serverDisconnect(ReasonCode.MESSAGE_RATE_TOO_HIGH, "more than " + publishRate.ratePerSecond()
            + " publishes a second", CloseCodes.POLICY_VIOLATION);
      } else {
        refusePublish(stream, publish, ReasonCode.QUOTA_EXCEEDED, "more than " + publishRate.ratePerSecond()
            + " publishes a second");
      }
      return;
    }
    ApplicationMessage message = MessageMapping.toApplicationMessage(clientId, topic, publish);
    CompletableFuture<AckReason> acknowledged = session.publish(message, publish.packetId());
    if (qos == 0) {
      mux.consumed(id);
      closeIfDone(stream);
      return;
    }
    if (qos == 2) {
      qos2InUse.put(publish.packetId(), stream);
    }
    PendingAck ack = new PendingAck(qos, publish.packetId());
    stream.pending.add(ack);
    acknowledged.whenComplete((reason, failure) -> onLoop(() -> {
      if (failure != null) {
        ack.silent = true; // not published (the session was taken over): the client must not think it was
      } else {
        ack.reasonCode = reason.code();
        ack.reason = reason.isFailure() ? "the message could not be stored" : null;
      }
      if (qos == 2 && ack.reasonCode != ReasonCode.SUCCESS && ack.reasonCode != ReasonCode.NO_MATCHING_SUBSCRIBERS) {
        releasePacketId(ack.packetId, stream); // a failed PUBREC ends the exchange
      }
      flushAcknowledgements(stream);
    }));
  }

  /** Refuses a publish: QoS 1/2 in its acknowledgement, after the ones owed before it; QoS 0 by disconnecting. */
  private void refusePublish(PublicationStream stream, Publish publish, int reasonCode, String reason) {
    if (publish.qos() == 0) {
      mux.consumed(stream.id);
      serverDisconnect(reasonCode, reason, CloseCodes.POLICY_VIOLATION);
      return;
    }
    PendingAck ack = new PendingAck(publish.qos(), publish.packetId());
    ack.reasonCode = reasonCode;
    ack.reason = reason;
    stream.pending.add(ack);
    flushAcknowledgements(stream);
  }

  /**
   * Sends the acknowledgements whose outcome is known, from the oldest, up to the first still undecided. Each
   * returns its publish's credit only once it is written: a client that withholds credit for the answers stops
   * getting credit for more publishes, so what the server owes it is bounded by the window (PROTOCOL.md 8.4).
   */
  private void flushAcknowledgements(PublicationStream stream) {
    while (!stream.pending.isEmpty() && stream.pending.peek().decided()) {
      PendingAck ack = stream.pending.poll();
      if (streams.get(stream.id) != stream || state != State.CONNECTED || ack.silent) {
        mux.consumed(stream.id);
        continue; // the stream was reset or the connection is closing: nobody to tell
      }
      stream.owed--;
      String text = ack.reason == null ? null : reasonString(ack.reason);
      BraidMessage message = ack.qos == 1 ? new PubAck(ack.packetId, ack.reasonCode, text, List.of())
          : new PubRec(ack.packetId, ack.reasonCode, text, List.of());
      answer(stream, new Answer(message, stream.clientEnded && stream.owed == 0
          && (ack.qos == 1 || ReasonCode.isError(ack.reasonCode)), true));
    }
    closeIfDone(stream);
    drainStreamLayer();
    maybeFinishShutdown();
  }

  private void onPubRel(int id, boolean endStream, PubRel rel) {
    if (!(streams.get(id) instanceof PublicationStream stream)) {
      mux.consumed(id);
      return;
    }
    stream.clientEnded |= endStream;
    AckReason reason = session.release(rel.packetId());
    releasePacketId(rel.packetId(), null);
    // like a publish, a PUBREL's credit comes back with its answer
    answer(stream, new Answer(PubComp.of(rel.packetId(), reason.code()), stream.clientEnded && stream.owed == 0,
        true));
    closeIfDone(stream);
  }

  /** The QoS 2 exchange with {@code packetId} ended (on {@code stream}, or on any stream if null). */
  private void releasePacketId(int packetId, PublicationStream stream) {
    if (stream == null || qos2InUse.get(packetId) == stream) {
      qos2InUse.remove(packetId);
    }
  }

  /** The client ended a publication stream and nothing is owed on it: close the server's side. */
  private void closeIfDone(PublicationStream stream) {
    if (stream.clientEnded && stream.owed == 0 && !stream.serverEnded && stream.answers.isEmpty()) {
      sendReset(stream.id, ErrorCode.NO_ERROR); // nothing left to say: RESET(no_error) closes it
    }
  }

  // --------------------------------------------------------------------------------------- sending

  /** Sends {@code message} on a client stream now if it has credit and nothing waits before it, else queues it. */
  private void answer(ClientStream stream, BraidMessage message, boolean endStream) {
    answer(stream, new Answer(message, endStream, false));
  }

  private void answer(ClientStream stream, Answer answer) {
    if (stream.serverEnded) {
      returnCredit(stream, answer);
      return;
    }
    if (!stream.answers.isEmpty() || mux.sendCredit(stream.id) == 0) {
      stream.answers.add(answer);
      return;
    }
    sendOn(stream, answer);
  }

  private void sendOn(ClientStream stream, Answer answer) {
    send(new StreamFrame.Data(stream.id, answer.endStream(), codec.encode(answer.message())));
    returnCredit(stream, answer);
    if (answer.endStream()) {
      stream.serverEnded = true;
      forgetIfClosed(stream);
    }
  }

  /** The answer is sent (or can never be): the credit of the client message it answers goes back. */
  private void returnCredit(ClientStream stream, Answer answer) {
    if (answer.returnsCredit()) {
      mux.consumed(stream.id);
    }
  }

  /** Forgets a stream once the stream layer has closed it (both sides ended, or a RESET either way). */
  private void forgetIfClosed(ClientStream stream) {
    if (mux.state(stream.id) == StreamState.CLOSED && streams.get(stream.id) == stream) {
      streams.remove(stream.id);
      services.metrics.streamClosed();
      for (Answer unsent : stream.answers) {
        returnCredit(stream, unsent); // the connection's credit: the stream's own is gone with it
      }
      stream.answers.clear();
      if (stream instanceof SubscriptionStream subscription) {
        dropSubscription(subscription);
      }
    }
  }

  /**
   * Unsubscribes the stream's subscription, if it was granted, and drops what travels for it: nothing on a closed
   * stream can be acknowledged. Returns whether the session had the subscription.
   */
  private boolean dropSubscription(SubscriptionStream stream) {
    if (stream.filter == null) {
      return false;
    }
    boolean existed = session.unsubscribe(stream.filter);
    session.abandon(stream.filter);
    subscriptions.remove(stream.filter);
    stream.filter = null;
    return existed;
  }

  private void flushAnswers(ClientStream stream) {
    while (!stream.answers.isEmpty() && mux.sendCredit(stream.id) > 0) {
      sendOn(stream, stream.answers.poll());
    }
    if (stream instanceof PublicationStream publication) {
      closeIfDone(publication);
    }
  }

  private void onCredit(int streamId) {
    if (streamId == 0) {
      for (ClientStream stream : new ArrayList<>(streams.values())) {
        flushAnswers(stream);
      }
    } else {
      ClientStream stream = streams.get(streamId);
      if (stream != null) {
        flushAnswers(stream);
      }
    }
    if (session != null && state == State.CONNECTED) {
      session.resume();
    }
  }

  private void send(StreamFrame frame) {
    mux.sent(frame);
    wire.send(frame);
  }

  private void sendReset(int id, long errorCode) {
    send(new StreamFrame.Reset(id, errorCode));
    ClientStream stream = streams.get(id);
    if (stream != null) {
      stream.serverEnded = true;
      forgetIfClosed(stream);
    }
    maybeFinishShutdown();
  }

  /** Sends the credit updates the stream layer produced. */
  private void drainStreamLayer() {
    if (state != State.CLOSED) {
      mux.drainOutbound(this::send);
    }
  }

  private String reasonString(String reason) {
    return requestProblemInformation ? ReasonText.of(reason) : null;
  }

  // ---------------------------------------------------------------------- the session's ClientLink

  @Override
  public boolean writable(TopicFilter subscription) {
    if (state != State.CONNECTED) {
      return false;
    }
    SubscriptionStream stream = subscriptions.get(subscription);
    return stream != null && stream.answers.isEmpty() && mux.sendCredit(stream.id) > 0 && !channel.writeQueueFull();
  }

  /**
   * Sends a delivery on its subscription's stream, unless it is larger than the client takes (its SETTINGS
   * {@code maxFramePayload}): such a delivery is never sent [MQTT-3.1.2-25], and the session reports it as dropped.
   */
  @Override
  public boolean sendPublish(OutboundPublish publish) {
    SubscriptionStream stream = subscriptions.get(publish.subscription());
    if (stream == null || state != State.CONNECTED) {
      return true; // gone: the session learns it from the stream's end
    }
    StreamFrame.Data frame = new StreamFrame.Data(stream.id, false, codec.encode(MessageMapping.toPublish(publish)));
    int limit = mux.peerSettings().maxFramePayload();
    int size = wire.framePayloadSize(frame);
    if (size > limit) {
      services.metrics.limitHit("client_frame_payload");
      log.debug("delivery to client {} on stream {} not sent: {} bytes, the client takes at most {}", clientId,
          stream.id, size, limit);
      return false;
    }
    send(frame);
    return true;
  }

  @Override
  public void sendPubRel(TopicFilter subscription, int packetId) {
    SubscriptionStream stream = subscriptions.get(subscription);
    if (stream != null && state == State.CONNECTED) {
      answer(stream, PubRel.of(packetId), false);
    }
  }

  @Override
  public void close(DisconnectCause cause) {
    onLoop(() -> {
      String reason = switch (cause) {
        case SESSION_TAKEN_OVER -> "another connection took the session over";
        case ADMINISTRATIVE_ACTION -> "disconnected by an administrator";
        case SERVER_SHUTTING_DOWN -> "server shutting down";
        case QUOTA_EXCEEDED -> "the session's queue overflowed: the client does not keep up";
      };
      log.info("disconnecting client_id={} remote={} reason_code=0x{} reason=\"{}\"", clientId, remote,
          Integer.toHexString(cause.code()), reason);
      if (cause == DisconnectCause.QUOTA_EXCEEDED) {
        services.metrics.limitHit("queued_messages");
        serverDisconnect(cause.code(), reason, CloseCodes.POLICY_VIOLATION);
      } else {
        serverDisconnect(cause.code(), reason, CloseCodes.NORMAL);
      }
    });
  }

  // ------------------------------------------------------------------------------------- endings

  private void onClientDisconnect(Disconnect disconnect) {
    long newExpiry = disconnect.sessionExpiryInterval();
    if (newExpiry != BraidMessage.ABSENT && requestedSessionExpiry == 0 && newExpiry > 0) {
      serverDisconnect(ReasonCode.PROTOCOL_ERROR, "session expiry cannot change from 0 [MQTT-3.14.2-2]",
          CloseCodes.PROTOCOL_ERROR);
      return;
    }
    long expiry = newExpiry == BraidMessage.ABSENT ? -1
        : Math.min(newExpiry, config.sessions().maxSessionExpirySeconds());
    boolean publishWill = disconnect.reasonCode() != ReasonCode.NORMAL_DISCONNECTION;
    session.disconnect(publishWill, expiry);
    log.info("disconnected client_id={} remote={} reason_code=0x{}", clientId, remote,
        Integer.toHexString(disconnect.reasonCode()));
    close(CloseCodes.NORMAL, "");
  }

  private void onConnectTimeout() {
    timerId = -1;
    if (state == State.AWAITING_CONNECT) {
      services.metrics.limitHit("connect_timeout");
      log.info("no CONNECT from {} within {} ms: closing", remote, config.sessions().connectTimeoutMillis());
      close(CloseCodes.POLICY_VIOLATION, "no CONNECT within " + config.sessions().connectTimeoutMillis() + " ms");
    }
  }

  private void checkKeepAlive() {
    if (state != State.CONNECTED) {
      return;
    }
    long silentMillis = (System.nanoTime() - lastActivityNanos) / 1_000_000;
    if (silentMillis > keepAliveSeconds * 1500L) {
      services.metrics.limitHit("keep_alive");
      serverDisconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "no message for " + silentMillis + " ms, 1.5 times the "
          + "keep-alive of " + keepAliveSeconds + " s", CloseCodes.POLICY_VIOLATION);
    }
  }

  /** Refuses a CONNECT: CONNACK with the reason, then close. */
  private void refuseConnection(int reasonCode, String reason, int closeCode) {
    send(new StreamFrame.Data(0, false, codec.encode(ConnAck.refused(reasonCode, reasonString(reason)))));
    close(closeCode, reason);
  }

  /** A message error: on stream 0 it ends the connection (DISCONNECT), on another stream only that stream. */
  private void messageError(int id, boolean opened, int reasonCode, String reason) {
    mux.consumed(id);
    log.info("message error from client {} {} on stream {}: {}", clientId, remote, id, reason);
    if (id == 0) {
      int closeCode = CloseCodes.PROTOCOL_ERROR;
      if (state == State.AWAITING_CONNECT || state == State.AUTHENTICATING) {
        services.metrics.protocolError(closeCode);
        refuseConnection(reasonCode, reason, closeCode);
      } else {
        serverDisconnect(reasonCode, reason, closeCode);
      }
      return;
    }
    services.metrics.streamError(ErrorCode.name(ErrorCode.MESSAGE_ERROR));
    sendReset(id, ErrorCode.MESSAGE_ERROR);
  }

  /** A stream layer connection error: GOAWAY with the code, then close 1002. */
  private void connectionError(long errorCode, String reason) {
    log.info("stream layer error from client {} {}: {} {}", clientId, remote, ErrorCode.name(errorCode), reason);
    services.metrics.protocolError(CloseCodes.PROTOCOL_ERROR);
    send(new StreamFrame.GoAway(mux.lastPeerStreamId(), errorCode, ReasonText.of(reason), null));
    loseSession();
    close(CloseCodes.PROTOCOL_ERROR, reason);
  }

  /** The server ends the connection: DISCONNECT with the reason (if connected), then close. */
  private void serverDisconnect(int reasonCode, String reason, int closeCode) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (closeCode == CloseCodes.PROTOCOL_ERROR) {
      services.metrics.protocolError(closeCode);
    }
    if (state == State.CONNECTED) {
      send(new StreamFrame.Data(0, false, codec.encode(Disconnect.of(reasonCode, reasonString(reason)))));
    }
    loseSession();
    close(closeCode, reason);
  }

  /** The connection ends without a normal DISCONNECT: the session's will stands. */
  private void loseSession() {
    if (session != null && session.isAttached()) {
      session.connectionLost();
    }
  }

  private void close(int closeCode, String reason) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    state = State.CLOSING;
    cancelTimer();
    wire.flush();
    channel.close(closeCode, ReasonText.of(reason)); // the close frame cuts it further to fit (RFC 6455 §5.5)
  }

  @Override
  public void onClosed(CloseReason reason) {
    State before = state;
    state = State.CLOSED;
    cancelTimer();
    if (session != null && session.isAttached() && !shuttingDown) {
      session.connectionLost();
    }
    for (int i = 0; i < streams.size(); i++) {
      services.metrics.streamClosed();
    }
    streams.clear();
    subscriptions.clear();
    services.metrics.connectionClosed();
    if (clientId != null) {
      log.info("connection closed client_id={} remote={} close_code={} state={}", clientId, remote, reason.code(),
          before);
    }
    if (shutdownDone != null) {
      Runnable done = shutdownDone;
      shutdownDone = null;
      done.run();
    }
  }

  @Override
  public void onDrain() {
    if (session != null && state == State.CONNECTED) {
      session.resume();
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
    send(new StreamFrame.GoAway(mux.lastPeerStreamId(), ErrorCode.NO_ERROR, "server shutting down", null));
    maybeFinishShutdown();
  }

  private void maybeFinishShutdown() {
    if (!shuttingDown || state != State.CONNECTED) {
      return;
    }
    for (ClientStream stream : streams.values()) {
      if (stream instanceof PublicationStream publication && publication.owed > 0) {
        return;
      }
    }
    send(new StreamFrame.Data(0, false, codec.encode(Disconnect.of(ReasonCode.SERVER_SHUTTING_DOWN,
        reasonString("server shutting down")))));
    wire.flush();
    state = State.CLOSING;
    cancelTimer();
    Runnable done = shutdownDone;
    shutdownDone = null;
    if (done != null) {
      done.run();
    }
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      services.vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void onLoop(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private static boolean isUtf8(Buffer payload) {
    byte[] bytes = payload.getBytes();
    return Utf8Validator.isValid(bytes, 0, bytes.length);
  }
}
