package io.braid.server.frontend;

import io.braid.protocol.codec.ReasonText;
import io.braid.protocol.message.ReasonCode;
import io.braid.pubsub.broker.Broker;
import io.braid.pubsub.broker.ClientLink;
import io.braid.pubsub.broker.ConnectRequest;
import io.braid.pubsub.broker.ConnectResult;
import io.braid.pubsub.broker.SessionUnavailableException;
import io.braid.pubsub.message.Will;
import io.braid.pubsub.topic.InvalidTopicException;
import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicLimits;
import io.braid.pubsub.topic.TopicName;
import io.braid.server.auth.AccessPolicy;
import io.braid.server.auth.AuthResult;
import io.braid.server.auth.Authenticator;
import io.braid.server.auth.ClientAccess;
import io.braid.server.auth.Credentials;
import io.braid.server.auth.Principal;
import io.braid.server.config.BrokerConfig;
import io.braid.server.metrics.BrokerMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker as any wire protocol's connection sees it, whatever that protocol: connecting (client identifiers,
 * authentication, the will's topic and ACL, the session attach and its takeover), and the gates a connection's
 * publishes and subscriptions pass ({@link PublishGate}, {@link SubscribeGate}), with their limits and metrics. A
 * Braid stream connection drives it today, an MQTT connection can tomorrow, with the same rules and answers.
 *
 * <p>Immutable and thread safe: shared by every connection. Results reach a connection on its own context.
 */
public final class BrokerFrontEnd {

  private static final Logger log = LoggerFactory.getLogger(BrokerFrontEnd.class);

  private final Vertx vertx;
  private final Broker broker;
  private final BrokerConfig config;
  private final Authenticator authenticator;
  private final AccessPolicy acl;
  private final BrokerMetrics metrics;
  private final TopicLimits topicLimits;
  /** The topics whose messages carry their sender (auth.senderTopics). */
  private final List<TopicFilter> senderTopics;

  public BrokerFrontEnd(Vertx vertx, Broker broker, BrokerConfig config, Authenticator authenticator,
      AccessPolicy acl, BrokerMetrics metrics) {
    this.vertx = vertx;
    this.broker = broker;
    this.config = config;
    this.authenticator = authenticator;
    this.acl = acl;
    this.metrics = metrics;
    this.topicLimits = new TopicLimits(config.limits().maxTopicLength(), config.limits().maxTopicLevels());
    this.senderTopics = config.auth().senderTopics().stream().map(TopicFilter::parse).toList();
  }

  /**
   * Checks and authenticates {@code attempt} and attaches its session, with {@code link} as the session's link to
   * the connection (taking the session over from another connection if there is one). {@code done} runs on
   * {@code context} with the outcome. A connection that closed meanwhile must give an accepted session back with
   * {@link io.braid.pubsub.broker.SessionHandle#connectionLost()}.
   */
  public void connect(ConnectAttempt attempt, ClientLink link, Context context, Consumer<ConnectOutcome> done) {
    Consumer<ConnectOutcome> onContext = outcome -> onContext(context, () -> done.accept(outcome));
    boolean assigned = attempt.clientId().isEmpty();
    String clientId = assigned ? "braid-" + UUID.randomUUID() : attempt.clientId();
    ConnectOutcome.Refused refused = refusal(attempt, clientId);
    if (refused != null) {
      done.accept(refused);
      return;
    }
    Will will;
    try {
      will = attempt.will() == null ? null
          : attempt.will().toWill(clientId, TopicName.parse(attempt.will().topic(), topicLimits));
    } catch (InvalidTopicException e) {
      done.accept(new ConnectOutcome.Refused(ReasonCode.TOPIC_NAME_INVALID, "will topic: " + e.getMessage(), false));
      return;
    }
    BrokerConfig.Sessions limits = config.sessions();
    int keepAlive = attempt.keepAliveSeconds() == 0 || attempt.keepAliveSeconds() > limits.maxKeepAliveSeconds()
        ? limits.maxKeepAliveSeconds() : attempt.keepAliveSeconds();
    Credentials credentials = new Credentials(clientId, attempt.username(), attempt.password(), attempt.token(),
        attempt.remote());
    authenticator.authenticate(credentials).onComplete(result -> {
      AuthResult auth = result.succeeded() ? result.result()
          : new AuthResult.Refused(ReasonCode.UNSPECIFIED_ERROR, "authentication failed: " + result.cause());
      Attach attach = new Attach(attempt, clientId, assigned, keepAlive, will, link, context, onContext);
      if (auth instanceof AuthResult.Refused authRefused) {
        metrics.authenticationFailed(authRefused.reasonCode());
        log.info("connect refused client_id={} remote={} reason_code=0x{} reason=\"{}\"", clientId, attempt.remote(),
            Integer.toHexString(authRefused.reasonCode()), authRefused.reason());
        onContext.accept(new ConnectOutcome.Refused(authRefused.reasonCode(), authRefused.reason(), false));
      } else {
        authorize(attach, ((AuthResult.Accepted) auth).principal());
      }
    });
  }

  /** The checks a CONNECT fails before authentication, or null. */
  private ConnectOutcome.Refused refusal(ConnectAttempt attempt, String clientId) {
    BrokerConfig.Sessions limits = config.sessions();
    if (clientId.getBytes(StandardCharsets.UTF_8).length > limits.maxClientIdLength()) {
      metrics.limitHit("client_id_length");
      return new ConnectOutcome.Refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client identifier longer than "
          + limits.maxClientIdLength() + " bytes", false);
    }
    if (clientId.indexOf('\u0000') >= 0) {
      return new ConnectOutcome.Refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
          "client identifier contains U+0000 [MQTT-1.5.4-2]", false);
    }
    if (attempt.authMethod() != null) {
      metrics.authenticationFailed(ReasonCode.BAD_AUTHENTICATION_METHOD);
      return new ConnectOutcome.Refused(ReasonCode.BAD_AUTHENTICATION_METHOD, "enhanced authentication is not "
          + "supported (authMethod " + ReasonText.quote(attempt.authMethod())
          + "): send a user name and password, or a token", false);
    }
    return null;
  }

  /** What is known of a CONNECT once it passed the first checks. */
  private record Attach(ConnectAttempt attempt, String clientId, boolean assigned, int keepAlive, Will will,
      ClientLink link, Context context, Consumer<ConnectOutcome> done) {
  }

  private void authorize(Attach attach, Principal principal) {
    ClientAccess access = acl.forClient(principal, attach.clientId());
    if (attach.will() != null && !access.canPublish(attach.will().message().topic())) {
      metrics.aclDenied("will");
      attach.done().accept(new ConnectOutcome.Refused(ReasonCode.NOT_AUTHORIZED, "not authorized to publish the "
          + "will to " + attach.will().message().topic().asString(), false));
      return;
    }
    BrokerConfig.Sessions limits = config.sessions();
    ConnectAttempt attempt = attach.attempt();
    long expiry = Math.min(attempt.sessionExpiryInterval(), limits.maxSessionExpirySeconds());
    ConnectRequest request = new ConnectRequest(attach.clientId(), attempt.cleanStart(), expiry,
        Math.min(limits.maxInflight(), attempt.receiveMaximum()), attach.will());
    broker.connect(request, attach.link(), command -> attach.context().runOnContext(v -> command.run()))
        .whenComplete((result, failure) -> {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (cause instanceof SessionUnavailableException unavailable) {
            log.warn("refused client {} for now: {}", attach.clientId(), unavailable.getMessage());
            metrics.sessionUnavailable();
            attach.done().accept(new ConnectOutcome.Refused(ReasonCode.SERVER_BUSY, "the session is moving between "
                + "nodes: connect again shortly", false));
          } else if (failure != null) {
            log.error("cannot attach the session of client {}", attach.clientId(), failure);
            attach.done().accept(new ConnectOutcome.Refused(ReasonCode.UNSPECIFIED_ERROR,
                "the session could not be attached", true));
          } else {
            attach.done().accept(accepted(attach, principal, access, result));
          }
        });
  }

  private ConnectOutcome.Accepted accepted(Attach attach, Principal principal, ClientAccess access,
      ConnectResult result) {
    ConnectAttempt attempt = attach.attempt();
    ConnectedClient client = new ConnectedClient(attach.clientId(), principal, access, result.handle(),
        attach.keepAlive(), attempt.remote());
    return new ConnectOutcome.Accepted(client, result.sessionPresent(), attach.assigned(),
        attach.keepAlive() != attempt.keepAliveSeconds(), result.sessionExpiryInterval());
  }

  /** Logs and counts a connection that reached CONNACK. */
  public void connected(ConnectOutcome.Accepted accepted, boolean cleanStart, String protocol) {
    ConnectedClient client = accepted.client();
    metrics.connectAccepted();
    log.info("connected client_id={} remote={} user={} auth={} session_present={} clean_start={} keep_alive={} "
            + "protocol={}", client.clientId(), client.remote(), client.principal().username(),
        client.principal().method(), accepted.sessionPresent(), cleanStart, client.keepAliveSeconds(), protocol);
  }

  /** The gate of one connection's publishes (its own publish rate). */
  public PublishGate publishGate(ConnectedClient client) {
    return new PublishGate(client, topicLimits, config.limits().publishRatePerClient(), senderTopics, metrics);
  }

  /** The gate of one connection's subscriptions. */
  public SubscribeGate subscribeGate(ConnectedClient client) {
    return new SubscribeGate(client, topicLimits, config.sessions().maxSubscriptions(), metrics);
  }

  public BrokerConfig config() {
    return config;
  }

  public BrokerMetrics metrics() {
    return metrics;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Broker broker() {
    return broker;
  }

  /**
   * An executor that runs a task on {@code context}: at once when called there, else as a task of its own. What a
   * connection gives the session as its executor, and where outcomes completed on other threads hop back.
   */
  public static Executor executorOf(Context context) {
    return command -> onContext(context, command);
  }

  /** Runs {@code action} on {@code context}: at once if already there. */
  static void onContext(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
