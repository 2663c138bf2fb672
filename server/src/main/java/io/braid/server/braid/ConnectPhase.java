package io.braid.server.braid;

import io.braid.protocol.endpoint.StreamEndpoint;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.UserProperty;
import io.braid.protocol.ws.CloseCodes;
import io.braid.server.auth.BearerToken;
import io.braid.server.config.BrokerConfig;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.frontend.ConnectAttempt;
import io.braid.server.frontend.ConnectOutcome;
import io.braid.server.frontend.DeferredLink;
import io.braid.server.websocket.WsChannel;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Braid connection before CONNACK (PROTOCOL.md 8.1): the client's first message must be CONNECT, within the
 * connect timeout; the front end checks it and attaches the session while the messages that follow it wait (a
 * bounded number of them); then CONNACK with the broker's limits, or a refusal and the close. Confined to the
 * connection's event loop.
 */
final class ConnectPhase {

  private static final Logger log = LoggerFactory.getLogger(ConnectPhase.class);
  /**
   * Messages a client may send after CONNECT and before CONNACK. Streams other than 0 are bounded by their credit;
   * this bounds stream 0 (PINGs) too.
   */
  static final int MAX_DEFERRED = 1_000;

  /** A message received after CONNECT and before CONNACK, handled once the session is attached. */
  record Deferred(int streamId, boolean opened, boolean endStream, BraidMessage message) {
  }

  /** What the connection does with the phase's end. */
  interface Outcome {

    /** CONNACK was sent: the client is connected; {@code deferred} are the messages that came meanwhile. */
    void connected(ConnectOutcome.Accepted accepted, Connect connect, List<Deferred> deferred);

    /** The phase failed (refusal sent, or timed out): close the WebSocket with {@code closeCode}. */
    void failed(int closeCode, String reason);
  }

  private final BrokerFrontEnd frontEnd;
  private final StreamEndpoint endpoint;
  private final WsChannel channel;
  private final Context context;
  private final DeferredLink link;
  private final Outcome outcome;
  private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
  /** The limits a client should know, sent as {@code braid.*} user properties of every successful CONNACK. */
  private final List<UserProperty> limitProperties;
  private Connect connect;
  /** The presence info the CONNECT declared, read when it arrived. */
  private PresenceInfo presence;
  private long timerId = -1;
  private boolean ended;

  /** @param limitProperties the broker's limits for CONNACK ({@link #limitProperties}), shared by connections */
  ConnectPhase(BrokerFrontEnd frontEnd, List<UserProperty> limitProperties, StreamEndpoint endpoint,
      WsChannel channel, Context context, DeferredLink link, Outcome outcome) {
    this.frontEnd = frontEnd;
    this.limitProperties = limitProperties;
    this.endpoint = endpoint;
    this.channel = channel;
    this.context = context;
    this.link = link;
    this.outcome = outcome;
  }

  /** Starts the connect timeout. */
  void start() {
    long timeout = frontEnd.config().sessions().connectTimeoutMillis();
    timerId = frontEnd.vertx().setTimer(timeout, id -> onTimeout(timeout));
  }

  /** A message from the client before CONNACK. */
  void onMessage(int streamId, boolean opened, boolean endStream, BraidMessage message) {
    if (ended) {
      return;
    }
    if (connect == null) {
      if (message instanceof Connect first) {
        begin(first);
      } else {
        frontEnd.metrics().limitHit("connect_first");
        refuse(ReasonCode.PROTOCOL_ERROR, "CONNECT must be the first message [MQTT-3.1.0-1], got " + message.type(),
            CloseCodes.POLICY_VIOLATION);
      }
      return;
    }
    if (deferred.size() >= MAX_DEFERRED) {
      frontEnd.metrics().limitHit("before_connack");
      refuse(ReasonCode.QUOTA_EXCEEDED, "more than " + MAX_DEFERRED + " messages before CONNACK",
          CloseCodes.POLICY_VIOLATION);
      return;
    }
    deferred.add(new Deferred(streamId, opened, endStream, message));
  }

  /** Refuses the connection: CONNACK with the reason, then close. */
  void refuse(int reasonCode, String reason, int closeCode) {
    if (ended) {
      return;
    }
    ended = true;
    cancelTimer();
    boolean problemInformation = connect == null || connect.requestProblemInformation();
    endpoint.send(0, ConnAck.refused(reasonCode, problemInformation ? reason : null), false);
    outcome.failed(closeCode, reason);
  }

  /** The connection closed: an outcome still to come is not wanted. */
  void cancel() {
    ended = true;
    cancelTimer();
  }

  private void begin(Connect first) {
    cancelTimer();
    connect = first;
    presence = PresenceInfo.read(first);
    if (presence.problem() != null) {
      log.info("CONNECT from {} refused: {}", channel.remoteAddress(), presence.problem());
      refuse(ReasonCode.PAYLOAD_FORMAT_INVALID, presence.problem(), CloseCodes.POLICY_VIOLATION);
      return;
    }
    String token = first.token() != null ? first.token()
        : channel.request() == null ? null : BearerToken.of(channel.request().headers().get("Authorization"));
    ConnectAttempt attempt = new ConnectAttempt(first.clientId(), first.cleanStart(), first.sessionExpiryInterval(),
        first.keepAlive(), first.username(), first.password(), token, first.authMethod(),
        first.will() == null ? null : MessageMapping.willDraft(first.will()), String.valueOf(channel.remoteAddress()),
        ConnectAttempt.NO_RECEIVE_MAXIMUM);
    frontEnd.connect(attempt, link, context, this::onOutcome);
  }

  private void onOutcome(ConnectOutcome result) {
    if (ended) {
      if (result instanceof ConnectOutcome.Accepted accepted) {
        accepted.client().session().connectionLost(); // closed while attaching: as after any lost connection
      }
      return;
    }
    if (result instanceof ConnectOutcome.Refused refused) {
      refuse(refused.reasonCode(), refused.reason(),
          refused.internal() ? CloseCodes.INTERNAL_ERROR : CloseCodes.POLICY_VIOLATION);
      return;
    }
    ended = true;
    ConnectOutcome.Accepted accepted = (ConnectOutcome.Accepted) result;
    accepted.client().session().presenceInfo(presence.json(accepted.client().principal()),
        presence.uniqueName(frontEnd.config().presence().uniqueField()));
    endpoint.send(0, connAck(accepted), false);
    frontEnd.connected(accepted, connect.cleanStart(), endpoint.subprotocol());
    outcome.connected(accepted, connect, new ArrayList<>(deferred));
    deferred.clear();
  }

  private ConnAck connAck(ConnectOutcome.Accepted accepted) {
    ConnAck.Builder connAck = ConnAck.builder(ReasonCode.SUCCESS)
        .sessionPresent(accepted.sessionPresent())
        .maximumMessageSize(frontEnd.config().limits().maxMessageBytes())
        .userProperties(limitProperties);
    if (accepted.assignedClientId()) {
      connAck.assignedClientId(accepted.client().clientId());
    }
    if (accepted.keepAliveChanged()) {
      connAck.serverKeepAlive(accepted.client().keepAliveSeconds());
    }
    if (accepted.sessionExpiryInterval() != connect.sessionExpiryInterval()) {
      connAck.sessionExpiryInterval(accepted.sessionExpiryInterval());
    }
    return connAck.build();
  }

  private void onTimeout(long timeout) {
    timerId = -1;
    if (connect == null && !ended) {
      ended = true;
      frontEnd.metrics().limitHit("connect_timeout");
      log.info("no CONNECT from {} within {} ms: closing", channel.remoteAddress(), timeout);
      outcome.failed(CloseCodes.POLICY_VIOLATION, "no CONNECT within " + timeout + " ms");
    }
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      frontEnd.vertx().cancelTimer(timerId);
      timerId = -1;
    }
  }

  /** The limits a client should know, as the {@code braid.*} user properties of CONNACK (PROTOCOL.md 8.1). */
  static List<UserProperty> limitProperties(BrokerConfig config) {
    BrokerConfig.Sessions sessions = config.sessions();
    return List.of(
        new UserProperty("braid.maxSubscriptions", Integer.toString(sessions.maxSubscriptions())),
        new UserProperty("braid.maxQueuedMessages", Integer.toString(sessions.maxQueuedMessages())),
        new UserProperty("braid.queueOverflow", sessions.queueOverflow()),
        new UserProperty("braid.maxInflight", Integer.toString(sessions.maxInflight())),
        new UserProperty("braid.maxTopicLength", Integer.toString(config.limits().maxTopicLength())),
        new UserProperty("braid.maxTopicLevels", Integer.toString(config.limits().maxTopicLevels())),
        new UserProperty("braid.publishRatePerSecond", Integer.toString(config.limits().publishRatePerClient())));
  }
}
