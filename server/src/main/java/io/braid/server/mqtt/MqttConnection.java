package io.braid.server.mqtt;

import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.mqtt.MqttDecodeException;
import io.braid.protocol.mqtt.MqttDecoder;
import io.braid.protocol.mqtt.MqttPacket;
import io.braid.protocol.mqtt.MqttPacketType;
import io.braid.protocol.mqtt.MqttProperties;
import io.braid.protocol.mqtt.MqttProperty;
import io.braid.protocol.mqtt.MqttReasonCodes;
import io.braid.protocol.mqtt.MqttVersion;
import io.braid.pubsub.broker.DisconnectCause;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.frontend.ConnectOutcome;
import io.braid.server.frontend.ConnectedClient;
import io.braid.server.frontend.DeferredLink;
import io.braid.server.frontend.Disconnects;
import io.braid.server.frontend.KeepAlive;
import io.braid.server.metrics.BrokerMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 3.1.1 or 5 client over one transport, as a thin state machine: bytes in through Braid's
 * {@link MqttDecoder}, packets to the part in charge, and how the connection ends.
 *
 * <pre>
 *   CONNECTING --CONNACK--> CONNECTED --DISCONNECT, error, takeover, shutdown--> CLOSED
 *       |                                                                          ^
 *       +--timeout, malformed CONNECT, refused (CONNACK with the reason)-----------+
 * </pre>
 *
 * <p>Parts: {@link MqttConnectPhase} until CONNACK; then, built for the connected client, {@link MqttInbound} (its
 * publishes), {@link MqttSubscriptions} and {@link MqttDeliveries} (the session's deliveries). Every rule of the
 * pub/sub core, the ACLs and the limits is the {@link BrokerFrontEnd}'s, as for Braid's own clients. Malformed input
 * is answered as the spec says (§4.13): DISCONNECT with the reason code in MQTT 5, the close in MQTT 3.1.1, counted
 * in {@code braid_mqtt_errors_total}.
 *
 * <p>Confined to the connection's event loop; the core's calls arrive there through the session's executor.
 */
final class MqttConnection implements MqttConnectPhase.Outcome, MqttControl {

  private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);

  enum State { CONNECTING, CONNECTED, CLOSED }

  private final BrokerFrontEnd frontEnd;
  private final BrokerMetrics metrics;
  private final MqttTransport transport;
  private final Context context;
  private final Executor loop;
  private final MqttDecoder decoder;
  private final MqttOutput output;
  private final DeferredLink link;
  private final MqttConnectPhase connectPhase;

  private State state = State.CONNECTING;
  private ConnectedClient client;
  private long requestedSessionExpiry;
  private MqttInbound inbound;
  private MqttSubscriptions subscriptions;
  private MqttDeliveries deliveries;
  private KeepAlive keepAlive;
  private long keepAliveTimer = -1;
  private int readHolds;
  private boolean shuttingDown;
  private Runnable shutdownDone;

  MqttConnection(BrokerFrontEnd frontEnd, MqttTransport transport) {
    this.frontEnd = frontEnd;
    this.metrics = frontEnd.metrics();
    this.transport = transport;
    this.context = Vertx.currentContext();
    this.loop = BrokerFrontEnd.executorOf(context);
    this.decoder = MqttDecoder.forServer(MqttListeners.maxPacketSize(frontEnd.config()));
    this.output = new MqttOutput(transport, metrics, command -> context.runOnContext(v -> command.run()));
    this.link = new DeferredLink(cause -> loop.execute(() -> onBrokerClose(cause)));
    this.connectPhase = new MqttConnectPhase(frontEnd, transport, output, context, link, this);
    metrics.connectionOpened();
    connectPhase.start();
  }

  // ------------------------------------------------------------------------------------------ input

  /** Bytes from the client, split anywhere. */
  void onBytes(Buffer bytes) {
    if (state == State.CLOSED) {
      return;
    }
    metrics.bytesReceived(bytes.length());
    if (keepAlive != null) {
      keepAlive.activity(System.nanoTime()); // any packet counts [MQTT-3.1.2-22]; so does part of one
    }
    try {
      decoder.decode(bytes, this::onPacket);
    } catch (MqttDecodeException e) {
      onMalformed(e);
    } catch (RuntimeException e) {
      log.error("internal error on the MQTT connection of client {} {}", clientId(), transport.remote(), e);
      disconnect(ReasonCode.UNSPECIFIED_ERROR, "internal error");
    }
  }

  private void onPacket(MqttPacket packet) {
    switch (state) {
      case CONNECTING -> connectPhase.onPacket(packet);
      case CONNECTED -> dispatch(packet);
      default -> { }
    }
  }

  private void dispatch(MqttPacket packet) {
    if (packet instanceof MqttPacket.Publish publish) {
      inbound.onPublish(publish);
    } else if (packet instanceof MqttPacket.Ack ack) {
      if (ack.type() == MqttPacketType.PUBREL) {
        inbound.onPubRel(ack);
      } else {
        deliveries.onAcknowledgement(ack);
      }
    } else if (packet instanceof MqttPacket.Subscribe subscribe) {
      subscriptions.onSubscribe(subscribe);
    } else if (packet instanceof MqttPacket.Unsubscribe unsubscribe) {
      subscriptions.onUnsubscribe(unsubscribe);
    } else if (packet instanceof MqttPacket.PingReq) {
      output.send(new MqttPacket.PingResp());
    } else if (packet instanceof MqttPacket.Disconnect disconnect) {
      onClientDisconnect(disconnect);
    } else if (packet instanceof MqttPacket.Auth) {
      disconnect(ReasonCode.PROTOCOL_ERROR, "AUTH without an authentication method in CONNECT [MQTT-4.12.0-1]");
    }
  }

  /** Input that breaks MQTT: answered with the reason code where the version has a way to say it, then closed. */
  private void onMalformed(MqttDecodeException e) {
    metrics.mqttError(e.reasonCode());
    log.info("MQTT protocol error from client {} {}: reason_code=0x{} {}", clientId(), transport.remote(),
        Integer.toHexString(e.reasonCode()), e.getMessage());
    if (state != State.CONNECTING || connectPhase.hasConnect()) {
      end(e.reasonCode(), e.getMessage());
    } else if (decoder.connectVersion() == MqttVersion.V5) {
      output.send(new MqttPacket.ConnAck(false, e.reasonCode(), output.reason(e.getMessage()))); // §4.13.1
      close();
    } else if (e.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
      // a version Braid does not speak: answered as MQTT 3.1.1 answers, which MQTT 3.1 clients read too
      output.client(MqttVersion.V3_1_1, false, Long.MAX_VALUE);
      output.send(new MqttPacket.ConnAck(false, MqttReasonCodes.V3_UNACCEPTABLE_PROTOCOL_VERSION,
          MqttProperties.NONE));
      close();
    } else {
      close();
    }
  }

  // ------------------------------------------------------------------------------------------ connected

  @Override
  public void connected(ConnectOutcome.Accepted accepted, MqttPacket.Connect connect, List<MqttPacket> deferred) {
    client = accepted.client();
    Integer expiry = connect.properties().integer(MqttProperty.SESSION_EXPIRY_INTERVAL);
    requestedSessionExpiry = expiry == null ? 0 : Integer.toUnsignedLong(expiry);
    state = State.CONNECTED;
    Integer aliasMaximum = connect.properties().integer(MqttProperty.TOPIC_ALIAS_MAXIMUM);
    deliveries = new MqttDeliveries(output, client.session(), metrics, transport::writeQueueFull,
        aliasMaximum == null ? 0 : aliasMaximum);
    inbound = new MqttInbound(output, client, frontEnd.publishGate(client), this, loop,
        (delayMillis, task) -> frontEnd.vertx().setTimer(delayMillis, timer -> loop.execute(task)),
        frontEnd.config().mqtt().receiveMaximum(),
        output.v5() ? frontEnd.config().mqtt().topicAliasMaximum() : 0);
    subscriptions = new MqttSubscriptions(output, client, frontEnd.subscribeGate(client), deliveries, loop);
    link.connect(deliveries);
    client.session().start();
    keepAlive = new KeepAlive(client.keepAliveSeconds(), System.nanoTime());
    keepAliveTimer = frontEnd.vertx().setPeriodic(KeepAlive.checkEveryMillis(client.keepAliveSeconds()),
        id -> checkKeepAlive());
    for (MqttPacket packet : deferred) {
      if (state != State.CONNECTED) {
        break;
      }
      dispatch(packet);
    }
  }

  private void checkKeepAlive() {
    long silentMillis = state == State.CONNECTED ? keepAlive.overdueMillis(System.nanoTime()) : -1;
    if (silentMillis >= 0) {
      metrics.limitHit("keep_alive");
      disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "no packet for " + silentMillis + " ms, 1.5 times the keep-alive of "
          + client.keepAliveSeconds() + " s");
    }
  }

  private void onClientDisconnect(MqttPacket.Disconnect disconnect) {
    Integer expiry = disconnect.properties().integer(MqttProperty.SESSION_EXPIRY_INTERVAL);
    Disconnects.Violation violation = Disconnects.clientDisconnect(client.session(), disconnect.reasonCode(),
        expiry == null ? -1 : Integer.toUnsignedLong(expiry), requestedSessionExpiry,
        frontEnd.config().sessions().maxSessionExpirySeconds());
    if (violation != null) {
      disconnect(violation.reasonCode(), violation.reason());
      return;
    }
    log.info("disconnected client_id={} remote={} reason_code=0x{}", clientId(), transport.remote(),
        Integer.toHexString(disconnect.reasonCode()));
    close();
  }

  /** The session ends this connection (takeover, administrator, queue overflow, shutdown). */
  private void onBrokerClose(DisconnectCause cause) {
    String reason = Disconnects.reason(cause);
    log.info("disconnecting client_id={} remote={} reason_code=0x{} reason=\"{}\"", clientId(), transport.remote(),
        Integer.toHexString(cause.code()), reason);
    if (cause == DisconnectCause.QUOTA_EXCEEDED) {
      metrics.limitHit("queued_messages");
    }
    end(cause.code(), reason);
  }

  // ------------------------------------------------------------------------------------------ control

  @Override
  public void disconnect(int reasonCode, String reason) {
    if (state != State.CLOSED && ReasonCode.isError(reasonCode)) {
      metrics.mqttError(reasonCode);
      log.info("MQTT client {} {} disconnected: reason_code=0x{} {}", clientId(), transport.remote(),
          Integer.toHexString(reasonCode), reason);
    }
    end(reasonCode, reason);
  }

  /** CONNACK with the reason before CONNACK; DISCONNECT with it after (MQTT 5); then the close. The will stands. */
  private void end(int reasonCode, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.CONNECTING) {
      connectPhase.refuse(reasonCode, reason);
      return;
    }
    if (output.v5()) {
      output.send(new MqttPacket.Disconnect(reasonCode, output.reason(reason)));
    }
    loseSession();
    close();
  }

  @Override
  public void holdReading() {
    if (readHolds++ == 0) {
      transport.pauseReading();
    }
  }

  @Override
  public void releaseReading() {
    if (readHolds > 0 && --readHolds == 0 && state != State.CLOSED) {
      transport.resumeReading();
    }
  }

  @Override
  public void failed(int reasonCode, String reason) {
    close();
  }

  /** The connection ends without a normal DISCONNECT: the session's will stands. */
  private void loseSession() {
    if (client != null && client.session().isAttached()) {
      client.session().connectionLost();
    }
  }

  private void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    stopParts();
    output.flush(); // the CONNACK or DISCONNECT that says why goes out before the close
    transport.close();
  }

  private void stopParts() {
    connectPhase.cancel();
    if (keepAliveTimer >= 0) {
      frontEnd.vertx().cancelTimer(keepAliveTimer);
      keepAliveTimer = -1;
    }
    if (inbound != null) {
      inbound.close();
      deliveries.close();
    }
  }

  // ------------------------------------------------------------------------------------------ transport events

  /** The transport closed, whoever closed it. */
  void onClosed() {
    State before = state;
    state = State.CLOSED;
    stopParts();
    if (client != null && client.session().isAttached() && !shuttingDown) {
      client.session().connectionLost();
    }
    metrics.connectionClosed();
    if (client != null) {
      log.info("MQTT connection closed client_id={} remote={} state={}", client.clientId(), transport.remote(), before);
    }
    finishShutdown();
  }

  /** The transport's write queue has room again. */
  void onDrain() {
    if (state == State.CONNECTED) {
      deliveries.resume();
    }
  }

  /**
   * Graceful shutdown: the publishes in progress are acknowledged, then DISCONNECT 0x8B (MQTT 5) and the close; the
   * session is left as it is, its will due only if the broker does not come back within its delay.
   */
  void onShutdown(Runnable done) {
    if (state != State.CONNECTED) {
      done.run();
      return;
    }
    shuttingDown = true;
    shutdownDone = done;
    holdReading(); // nothing new is taken
    answered();
  }

  @Override
  public void answered() {
    if (!shuttingDown || state != State.CONNECTED || inbound.owesAcknowledgements()) {
      return;
    }
    if (output.v5()) {
      output.send(shutdownDisconnect(frontEnd.config().mqtt().serverReference()));
    }
    close();
    finishShutdown();
  }

  /** DISCONNECT 0x8B, or 0x9C with the Server Reference where the operator named another server (§4.11). */
  private static MqttPacket.Disconnect shutdownDisconnect(String serverReference) {
    MqttProperties.Builder properties = MqttProperties.builder()
        .put(MqttProperty.REASON_STRING, "server shutting down");
    if (serverReference.isEmpty()) {
      return new MqttPacket.Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, properties.build());
    }
    properties.put(MqttProperty.SERVER_REFERENCE, serverReference);
    return new MqttPacket.Disconnect(ReasonCode.USE_ANOTHER_SERVER, properties.build());
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
