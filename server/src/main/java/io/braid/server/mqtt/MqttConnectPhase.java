package io.braid.server.mqtt;

import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mqtt.MqttPacket;
import io.braid.protocol.mqtt.MqttProperties;
import io.braid.protocol.mqtt.MqttProperty;
import io.braid.protocol.mqtt.MqttReasonCodes;
import io.braid.protocol.mqtt.MqttVersion;
import io.braid.server.config.BrokerConfig;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.frontend.ConnectAttempt;
import io.braid.server.frontend.ConnectOutcome;
import io.braid.server.frontend.DeferredLink;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT connection before CONNACK (§3.1, §3.2): CONNECT within the connect timeout, its checks, authentication and
 * the session's attach through the {@link BrokerFrontEnd}, while the packets a client may send right after CONNECT
 * wait (a bounded number); then CONNACK in the client's version, or a refusal and the close. Confined to the
 * connection's event loop.
 */
final class MqttConnectPhase {

  private static final Logger log = LoggerFactory.getLogger(MqttConnectPhase.class);
  /** Packets a client may send after CONNECT and before CONNACK. */
  static final int MAX_DEFERRED = 1_000;
  /** A JWT (three base64url parts, the first a JSON object): taken as a bearer token when sent as the password. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  /** What the connection does with the phase's end. */
  interface Outcome {

    /** CONNACK was sent; {@code deferred} are the packets that came meanwhile. */
    void connected(ConnectOutcome.Accepted accepted, MqttPacket.Connect connect, List<MqttPacket> deferred);

    /** Refused (CONNACK sent if the version has a code for the reason) or timed out: close. */
    void failed(int reasonCode, String reason);
  }

  private final BrokerFrontEnd frontEnd;
  private final MqttTransport transport;
  private final MqttOutput output;
  private final Context context;
  private final DeferredLink link;
  private final Outcome outcome;
  private final List<MqttPacket> deferred = new ArrayList<>();
  private MqttPacket.Connect connect;
  private long timerId = -1;
  private boolean ended;

  MqttConnectPhase(BrokerFrontEnd frontEnd, MqttTransport transport, MqttOutput output, Context context,
      DeferredLink link, Outcome outcome) {
    this.frontEnd = frontEnd;
    this.transport = transport;
    this.output = output;
    this.context = context;
    this.link = link;
    this.outcome = outcome;
  }

  /** Starts the connect timeout. */
  void start() {
    long timeout = frontEnd.config().sessions().connectTimeoutMillis();
    timerId = frontEnd.vertx().setTimer(timeout, id -> {
      timerId = -1;
      if (connect == null && !ended) {
        ended = true;
        frontEnd.metrics().limitHit("connect_timeout");
        log.info("no MQTT CONNECT from {} within {} ms: closing", transport.remote(), timeout);
        outcome.failed(ReasonCode.MAXIMUM_CONNECT_TIME, "no CONNECT within " + timeout + " ms");
      }
    });
  }

  /** A packet before CONNACK: the CONNECT (the decoder lets nothing else come first), or one to handle after it. */
  void onPacket(MqttPacket packet) {
    if (ended) {
      return;
    }
    if (connect == null) {
      begin((MqttPacket.Connect) packet);
      return;
    }
    if (deferred.size() >= MAX_DEFERRED) {
      frontEnd.metrics().limitHit("before_connack");
      refuse(ReasonCode.QUOTA_EXCEEDED, "more than " + MAX_DEFERRED + " packets before CONNACK");
      return;
    }
    deferred.add(packet);
  }

  /** Refuses the connection: CONNACK with the reason (in MQTT 3.1.1 only where it has a return code), then close. */
  void refuse(int reasonCode, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    cancelTimer();
    log.info("MQTT connect refused remote={} client_id={} reason_code=0x{} reason=\"{}\"", transport.remote(),
        connect == null ? null : connect.clientId(), Integer.toHexString(reasonCode), reason);
    if (output.v5()) {
      output.send(new MqttPacket.ConnAck(false, reasonCode, output.reason(reason)));
    } else {
      int returnCode = v3ReturnCode(reasonCode);
      if (returnCode > 0) {
        output.send(new MqttPacket.ConnAck(false, returnCode, MqttProperties.NONE));
      }
    }
    outcome.failed(reasonCode, reason);
  }

  /** Whether the CONNECT was read. */
  boolean hasConnect() {
    return connect != null;
  }

  /** The connection closed: an outcome still to come is not wanted. */
  void cancel() {
    ended = true;
    cancelTimer();
  }

  private void begin(MqttPacket.Connect first) {
    cancelTimer();
    connect = first;
    MqttProperties p = first.properties();
    boolean v5 = first.version() == MqttVersion.V5;
    Integer problemInformation = p.integer(MqttProperty.REQUEST_PROBLEM_INFORMATION);
    Integer maxPacketSize = p.integer(MqttProperty.MAXIMUM_PACKET_SIZE);
    output.client(first.version(), problemInformation == null || problemInformation == 1,
        maxPacketSize == null ? Long.MAX_VALUE : Integer.toUnsignedLong(maxPacketSize));
    if (!v5 && first.clientId().isEmpty() && !first.cleanStart()) {
      refuse(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "an empty client identifier needs clean session "
          + "[MQTT-3.1.3-8]");
      return;
    }
    BrokerConfig.Sessions sessions = frontEnd.config().sessions();
    if (!v5 && first.keepAliveSeconds() > sessions.maxKeepAliveSeconds()) {
      // MQTT 3.1.1 cannot tell a client to ping more often: it would be cut off while doing what it said it would
      refuse(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "keep-alive " + first.keepAliveSeconds() + " s is longer than "
          + "the broker's maximum of " + sessions.maxKeepAliveSeconds() + " s");
      return;
    }
    frontEnd.connect(attempt(first, sessions), link, context, this::onOutcome);
  }

  private ConnectAttempt attempt(MqttPacket.Connect first, BrokerConfig.Sessions sessions) {
    MqttProperties p = first.properties();
    long expiry;
    if (first.version() == MqttVersion.V5) {
      Integer seconds = p.integer(MqttProperty.SESSION_EXPIRY_INTERVAL);
      expiry = seconds == null ? 0 : Integer.toUnsignedLong(seconds);
    } else {
      // MQTT 3.1.1 keeps a session until a clean connection: here, as long as the broker keeps any session
      expiry = first.cleanStart() ? 0 : sessions.maxSessionExpirySeconds();
    }
    Integer receiveMaximum = p.integer(MqttProperty.RECEIVE_MAXIMUM);
    String password = first.password() == null ? null : first.password().toString(StandardCharsets.UTF_8);
    boolean jwtConfigured = !frontEnd.config().auth().jwt().hs256Secret().isEmpty()
        || !frontEnd.config().auth().jwt().rs256PublicKeyFile().isEmpty();
    String token = transport.bearerToken();
    if (token == null && jwtConfigured && password != null && JWT.matcher(password).matches()) {
      token = password; // "JWT as password", as MQTT clients send one
    }
    return new ConnectAttempt(first.clientId(), first.cleanStart(), expiry, first.keepAliveSeconds(),
        first.username(), token != null && token.equals(password) ? null : first.password(), token,
        p.string(MqttProperty.AUTHENTICATION_METHOD),
        first.will() == null ? null : MqttMapping.willDraft(first.will()), transport.remote(),
        receiveMaximum == null ? ConnectAttempt.NO_RECEIVE_MAXIMUM : receiveMaximum);
  }

  private void onOutcome(ConnectOutcome result) {
    if (ended) {
      if (result instanceof ConnectOutcome.Accepted accepted) {
        accepted.client().session().connectionLost(); // closed while attaching: as after any lost connection
      }
      return;
    }
    if (result instanceof ConnectOutcome.Refused refused) {
      refuse(refused.reasonCode(), refused.reason());
      return;
    }
    ended = true;
    ConnectOutcome.Accepted accepted = (ConnectOutcome.Accepted) result;
    output.send(connAck(accepted));
    String version = connect.version() == MqttVersion.V5 ? "5" : "3.1.1";
    frontEnd.connected(accepted, connect.cleanStart(), "mqtt/" + version + "/" + transport.name());
    frontEnd.metrics().mqttConnected(version, transport.name());
    List<MqttPacket> waiting = new ArrayList<>(deferred);
    deferred.clear();
    outcome.connected(accepted, connect, waiting);
  }

  private MqttPacket.ConnAck connAck(ConnectOutcome.Accepted accepted) {
    if (!output.v5()) {
      return new MqttPacket.ConnAck(accepted.sessionPresent(), MqttReasonCodes.V3_ACCEPTED, MqttProperties.NONE);
    }
    BrokerConfig config = frontEnd.config();
    MqttProperties.Builder p = MqttProperties.builder();
    Integer requested = connect.properties().integer(MqttProperty.SESSION_EXPIRY_INTERVAL);
    long requestedExpiry = requested == null ? 0 : Integer.toUnsignedLong(requested);
    if (accepted.sessionExpiryInterval() != requestedExpiry) {
      p.put(MqttProperty.SESSION_EXPIRY_INTERVAL, (int) accepted.sessionExpiryInterval());
    }
    if (config.mqtt().receiveMaximum() < 65_535) {
      p.put(MqttProperty.RECEIVE_MAXIMUM, config.mqtt().receiveMaximum());
    }
    p.put(MqttProperty.MAXIMUM_PACKET_SIZE, MqttListeners.maxPacketSize(config));
    if (accepted.assignedClientId()) {
      p.put(MqttProperty.ASSIGNED_CLIENT_IDENTIFIER, accepted.client().clientId());
    }
    if (config.mqtt().topicAliasMaximum() > 0) {
      p.put(MqttProperty.TOPIC_ALIAS_MAXIMUM, config.mqtt().topicAliasMaximum());
    }
    if (accepted.keepAliveChanged()) {
      p.put(MqttProperty.SERVER_KEEP_ALIVE, accepted.client().keepAliveSeconds());
    }
    return new MqttPacket.ConnAck(accepted.sessionPresent(), ReasonCode.SUCCESS, p.build());
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      frontEnd.vertx().cancelTimer(timerId);
      timerId = -1;
    }
  }

  /**
   * MQTT 3.1.1's CONNACK return code (§3.2.2.3) for an MQTT 5 reason code, or -1 where it has none: the connection
   * is then closed without a CONNACK, as §3.2.2.3 allows.
   */
  static int v3ReturnCode(int reasonCode) {
    return switch (reasonCode) {
      case ReasonCode.UNSUPPORTED_PROTOCOL_VERSION -> MqttReasonCodes.V3_UNACCEPTABLE_PROTOCOL_VERSION;
      case ReasonCode.CLIENT_IDENTIFIER_NOT_VALID -> MqttReasonCodes.V3_IDENTIFIER_REJECTED;
      case ReasonCode.BAD_USER_NAME_OR_PASSWORD -> MqttReasonCodes.V3_BAD_USER_NAME_OR_PASSWORD;
      case ReasonCode.NOT_AUTHORIZED, ReasonCode.BANNED, ReasonCode.BAD_AUTHENTICATION_METHOD ->
          MqttReasonCodes.V3_NOT_AUTHORIZED;
      case ReasonCode.UNSPECIFIED_ERROR, ReasonCode.SERVER_UNAVAILABLE, ReasonCode.SERVER_BUSY,
          ReasonCode.SERVER_SHUTTING_DOWN, ReasonCode.USE_ANOTHER_SERVER, ReasonCode.SERVER_MOVED,
          ReasonCode.CONNECTION_RATE_EXCEEDED, ReasonCode.QUOTA_EXCEEDED -> MqttReasonCodes.V3_SERVER_UNAVAILABLE;
      default -> -1;
    };
  }
}
