package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.client.BlockingBraidClient;
import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.BraidException;
import io.braid.client.ConnectionState;
import io.braid.client.MessageProperties;
import io.braid.client.OutboxPolicy;
import io.braid.client.ReceivedMessage;
import io.braid.client.ReconnectPolicy;
import io.braid.client.Subscription;
import io.braid.protocol.handshake.EndpointSpec;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.protocol.ws.deflate.DeflateConfig;
import io.braid.server.auth.PasswordHash;
import io.braid.server.websocket.BraidServer;
import io.braid.server.websocket.BraidServerOptions;
import io.braid.server.websocket.ConnectionHooks;
import io.braid.server.websocket.WsChannel;
import io.braid.server.websocket.WsEndpoint;
import io.braid.server.websocket.WsHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java SDK against a running broker: each call's success, and each failure with its exception type.
 */
class SdkApiIT {

  private static Vertx vertx;

  @RegisterExtension
  final BrokerExtension broker = new BrokerExtension();

  @TempDir
  Path directory;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private BraidClientOptions options(String clientId) {
    return new BraidClientOptions().uris("ws://" + TestServers.HOST + ":" + broker.port() + "/braid")
        .clientId(clientId);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<?> future) throws Exception {
    try {
      future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  @ParameterizedTest
  @ValueSource(strings = {BraidClientOptions.BINARY, BraidClientOptions.JSON})
  void aCompressingClientAndAPlainOneExchangeLargePayloads(String subprotocol) throws Exception {
    BraidClient compressing = BraidClient.create(vertx, options("zip").subprotocol(subprotocol)
        .compression(DeflateConfig.DEFAULT));
    BraidClient plain = BraidClient.create(vertx, options("plain").subprotocol(subprotocol));
    await(compressing.connect());
    await(plain.connect());
    assertThat(broker.runtime().metrics().websocketsOpened(true)).as("compressed connections").isEqualTo(1);
    List<ReceivedMessage> toCompressing = new CopyOnWriteArrayList<>();
    List<ReceivedMessage> toPlain = new CopyOnWriteArrayList<>();
    await(compressing.subscribe("big/+", 1, toCompressing::add));
    await(plain.subscribe("big/+", 1, toPlain::add));
    Buffer json = Buffer.buffer("{\"readings\":[" + "{\"sensor\":\"t1\",\"value\":21.5},".repeat(3_000) + "{}]}");
    await(compressing.publish("big/a", json, 1));
    await(plain.publish("big/b", json, 1));

    Awaitility.await().until(() -> toCompressing.size() == 2 && toPlain.size() == 2);
    for (ReceivedMessage m : List.of(toCompressing.get(0), toCompressing.get(1), toPlain.get(0), toPlain.get(1))) {
      assertThat(m.payload()).isEqualTo(json);
    }
    await(compressing.disconnect());
    await(plain.disconnect());
  }

  @ParameterizedTest
  @ValueSource(strings = {BraidClientOptions.BINARY, BraidClientOptions.JSON})
  void subscribesPublishesAtEveryQosAndReceivesEachOnce(String subprotocol) throws Exception {
    BraidClient client = BraidClient.create(vertx, options("sdk").subprotocol(subprotocol));
    List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    await(client.connect());
    Subscription subscription = await(client.subscribe("sdk/+", 2, received::add));
    assertThat(subscription.grantedQos()).isEqualTo(2);

    for (int qos = 0; qos <= 2; qos++) {
      await(client.publish("sdk/q" + qos, Buffer.buffer("m" + qos), qos, false,
          MessageProperties.NONE.withUserProperty("k", "v" + qos).withContentType("text/plain")));
    }

    Awaitility.await().until(() -> received.size() >= 3);
    assertThat(received).extracting(ReceivedMessage::topic).containsExactly("sdk/q0", "sdk/q1", "sdk/q2");
    assertThat(received).extracting(ReceivedMessage::qos).containsExactly(0, 1, 2);
    assertThat(received.get(2).properties().contentType()).isEqualTo("text/plain");
    assertThat(received.get(1).properties().userProperties()).containsExactly(Map.entry("k", "v1"));
    await(subscription.unsubscribe());
    await(client.disconnect());
    assertThat(client.state()).isInstanceOf(ConnectionState.Closed.class);
  }

  @Test
  void aBadPasswordFailsConnectWithNotAuthorizedAndNoRetry() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "alice:" + PasswordHash.create("right", 1_000).encoded() + "\n");
    BrokerExtension secured = new BrokerExtension("auth.anonymous", "false", "auth.usersFile", users.toString());
    secured.beforeEach(null);
    try {
      BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
          .uris("ws://" + TestServers.HOST + ":" + secured.port() + "/braid").credentials("alice", "wrong"));

      Throwable failure = failureOf(client.connect());

      assertThat(failure).isInstanceOfSatisfying(BraidException.NotAuthorized.class,
          e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD));
      assertThat(client.state()).isInstanceOf(ConnectionState.Closed.class);
    } finally {
      secured.afterEach(null);
    }
  }

  @Test
  void aPublishTheBrokerRefusesFailsWithItsReasonCode() throws Exception {
    BraidClient client = BraidClient.create(vertx, options("refused"));
    await(client.connect());

    Throwable failure = failureOf(client.publish("a/+/b", Buffer.buffer("x"), 1));

    assertThat(failure).isInstanceOfSatisfying(BraidException.Refused.class,
        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID));
    await(client.disconnect());
  }

  @Test
  void aSubscriptionTheBrokerRefusesFailsWithItsReasonCode() throws Exception {
    BraidClient client = BraidClient.create(vertx, options("bad-filter"));
    await(client.connect());

    Throwable failure = failureOf(client.subscribe("a/#/b", SubscribeOptions.of(1)));

    assertThat(failure).isInstanceOfSatisfying(BraidException.Refused.class,
        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.TOPIC_FILTER_INVALID));
    await(client.subscribe("still/works", SubscribeOptions.of(1))); // the refused stream was closed cleanly
    await(client.disconnect());
  }

  @Test
  void aRefusedHandshakeClosesAClientThatDoesNotReconnect() throws Exception {
    BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
        .uris("ws://" + TestServers.HOST + ":" + broker.port() + "/nowhere").reconnect(ReconnectPolicy.NEVER));

    assertThat(failureOf(client.connect())).isInstanceOf(BraidException.Closed.class)
        .hasMessageContaining("404");
    assertThat(client.state()).isInstanceOf(ConnectionState.Closed.class);
  }

  @Test
  void anEndpointThatAgreesOnNoBraidSubprotocolIsAProtocolError() throws Exception {
    BraidServer echo = BraidServer.start(vertx, new BraidServerOptions().host(TestServers.HOST).port(0)
        .echoEnabled(true)).await(10, TimeUnit.SECONDS);
    try {
      BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
          .uris("ws://" + TestServers.HOST + ":" + echo.actualPort() + "/echo").reconnect(ReconnectPolicy.NEVER));

      assertThat(failureOf(client.connect())).isInstanceOf(BraidException.ProtocolError.class)
          .hasMessageContaining("subprotocol");
    } finally {
      echo.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBrokerThatNeverAnswersConnectIsATimeout() throws Exception {
    WsEndpoint silent = new WsEndpoint() {
      @Override
      public EndpointSpec spec() {
        return new EndpointSpec("/braid", List.of(BraidClientOptions.BINARY));
      }

      @Override
      public WsHandler open(WsChannel channel) {
        return (text, payload) -> { }; // takes everything, answers nothing
      }
    };
    BraidServer server = BraidServer.start(vertx, new BraidServerOptions().host(TestServers.HOST).port(0),
        List.of(silent), ConnectionHooks.NONE).await(10, TimeUnit.SECONDS);
    try {
      BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
          .uris("ws://" + TestServers.HOST + ":" + server.actualPort() + "/braid").connectTimeoutMillis(300)
          .reconnect(ReconnectPolicy.NEVER));

      assertThat(failureOf(client.connect())).isInstanceOf(BraidException.Timeout.class)
          .hasMessageContaining("no CONNACK");
    } finally {
      server.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void publishingAfterDisconnectFailsWithClosed() throws Exception {
    BraidClient client = BraidClient.create(vertx, options("gone"));
    await(client.connect());
    await(client.disconnect());

    assertThat(failureOf(client.publish("t", Buffer.buffer("late"), 1))).isInstanceOf(BraidException.Closed.class);
  }

  @Test
  void subscribingAfterDisconnectFailsWithClosed() throws Exception {
    BraidClient client = BraidClient.create(vertx, options("gone-too"));
    await(client.connect());
    await(client.disconnect());

    assertThat(failureOf(client.subscribe("t", SubscribeOptions.of(1)))).isInstanceOf(BraidException.Closed.class);
  }

  @Test
  void disconnectingWithTheWillCodeHasTheBrokerPublishTheWill() throws Exception {
    BraidClient watcher = BraidClient.create(vertx, options("watcher"));
    List<String> wills = new CopyOnWriteArrayList<>();
    await(watcher.connect());
    await(watcher.subscribe("wills/#", 1, message -> wills.add(message.payload().toString())));
    BraidClient leaving = BraidClient.create(vertx, options("leaving")
        .will(new BraidClientOptions.Will("wills/leaving", Buffer.buffer("gone"), 1, false, 0)));
    await(leaving.connect());

    await(leaving.disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE));

    Awaitility.await().until(() -> wills.contains("gone"));
    await(watcher.disconnect());
  }

  @Test
  void aNormalDisconnectDiscardsTheWill() throws Exception {
    BraidClient watcher = BraidClient.create(vertx, options("watcher"));
    List<String> received = new CopyOnWriteArrayList<>();
    await(watcher.connect());
    await(watcher.subscribe("wills/#", 1, message -> received.add(message.payload().toString())));
    BraidClient leaving = BraidClient.create(vertx, options("polite")
        .will(new BraidClientOptions.Will("wills/polite", Buffer.buffer("gone"), 1, false, 0)));
    await(leaving.connect());

    await(leaving.disconnect());
    await(watcher.publish("wills/marker", Buffer.buffer("marker"), 1)); // after the disconnect, in order

    Awaitility.await().until(() -> received.contains("marker"));
    assertThat(received).containsExactly("marker");
    await(watcher.disconnect());
  }

  @Test
  void aReasonCodeOnlyTheBrokerMaySendIsRefusedAndTheClientStaysConnected() throws Exception {
    BraidClient client = BraidClient.create(vertx, options("stays"));
    await(client.connect());

    assertThat(failureOf(client.disconnect(ReasonCode.SERVER_SHUTTING_DOWN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x8b");
    await(client.publish("still/connected", Buffer.buffer("x"), 1));
    assertThat(client.state()).isInstanceOf(ConnectionState.Connected.class);
    await(client.disconnect());
  }

  @Test
  void whileDisconnectedTheOutboxFailsFastWhenFull() throws Exception {
    BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
        .uris("ws://" + TestServers.HOST + ":1/braid").outbox(2, OutboxPolicy.FAIL, 0));
    client.connect(); // never succeeds: nothing listens on port 1

    Future<Void> first = client.publish("t", Buffer.buffer("1"), 1);
    Future<Void> second = client.publish("t", Buffer.buffer("2"), 1);
    Throwable third = failureOf(client.publish("t", Buffer.buffer("3"), 1));

    assertThat(third).isInstanceOf(BraidException.OutboxFull.class);
    assertThat(first.isComplete()).isFalse();
    assertThat(second.isComplete()).isFalse();
    await(client.disconnect());
    assertThat(failureOf(first)).isInstanceOf(BraidException.Closed.class);
  }

  @Test
  void theWaitPolicyWaitsForRoomThenFails() throws Exception {
    BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
        .uris("ws://" + TestServers.HOST + ":1/braid").outbox(1, OutboxPolicy.WAIT, 200));
    client.connect();
    client.publish("t", Buffer.buffer("1"), 1);
    long start = System.nanoTime();

    Throwable failure = failureOf(client.publish("t", Buffer.buffer("2"), 1));

    assertThat(failure).isInstanceOf(BraidException.OutboxFull.class);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150);
    await(client.disconnect());
  }

  @Test
  void aPersistentSessionThatEndsWithEveryConnectionIsRefusedAtBuildTime() {
    assertThatThrownBy(() -> BraidClient.create(vertx, options("x").session(false, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would be lost");
  }

  @Test
  void theBlockingClientMayPublishFromInsideItsMessageHandler() throws Exception {
    try (BlockingBraidClient client = BraidClient.blocking(options("blocking"))) {
      client.connect();
      List<String> echoed = new CopyOnWriteArrayList<>();
      client.subscribe("ping", 1, message -> client.publish("pong", message.payload(), 1)); // blocks for PUBACK
      client.subscribe("pong", 1, message -> echoed.add(message.payload().toString()));

      client.publish("ping", Buffer.buffer("hello"), 1);

      Awaitility.await().until(() -> echoed.contains("hello"));
    }
  }

  @Test
  void aBlockingCallOnTheClientsEventLoopFailsAtOnce() throws Exception {
    try (BlockingBraidClient client = BraidClient.blocking(options("loop"))) {
      client.connect();
      Promise<Throwable> attempt = Promise.promise();
      client.async().context().runOnContext(v -> {
        try {
          client.publish("t", Buffer.buffer("x"), 1);
          attempt.complete(null);
        } catch (IllegalStateException e) {
          attempt.complete(e);
        }
      });

      assertThat(await(attempt.future())).isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
    }
  }
}
