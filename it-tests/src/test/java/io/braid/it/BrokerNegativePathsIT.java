package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.ConnAck;
import io.braid.protocol.message.Connect;
import io.braid.protocol.message.Disconnect;
import io.braid.protocol.message.PubAck;
import io.braid.protocol.message.Publish;
import io.braid.protocol.message.ReasonCode;
import io.braid.protocol.message.SubAck;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.UserProperty;
import io.braid.protocol.mux.BinaryFrameCodec;
import io.braid.protocol.mux.ErrorCode;
import io.braid.protocol.mux.StreamFrame;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.Opcode;
import io.braid.server.BrokerRuntime;
import io.braid.server.auth.PasswordHash;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every negative path of the broker, each with a broker configured for it: the client gets the documented error
 * (CONNACK, SUBACK or acknowledgement reason code, DISCONNECT, RESET, HTTP status or WebSocket close code), the
 * broker still serves a fresh client afterwards, and its metrics show the event.
 */
class BrokerNegativePathsIT {

  private static final String SECRET = "a-test-secret-that-is-at-least-32-characters";
  private static Vertx vertx;

  @TempDir
  Path directory;
  private BrokerRuntime broker;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await();
  }

  @AfterEach
  void stopBroker() throws Exception {
    TestBrokers.stop(broker);
  }

  private BrokerTestClient open() {
    return BrokerTestClient.open(broker.port(), BrokerTestClient.BINARY);
  }

  private static Connect connect(String clientId) {
    return Connect.builder(clientId).cleanStart(true).keepAlive(30).build();
  }

  private double metric(String sample) {
    return TestBrokers.metric(broker, sample);
  }

  /** A fresh anonymous client subscribes and receives its own publish: the broker is unharmed. */
  private void assertServesAFreshClient(Connect connect) {
    try (BrokerTestClient fresh = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY, connect)) {
      fresh.send(1, false, Subscribe.of("health/" + connect.clientId(), 1));
      assertThat(fresh.nextMessageOn(1)).isInstanceOf(SubAck.class);
      fresh.send(3, false, Publish.of("health/" + connect.clientId(), Buffer.buffer("ok"), 1, 1));
      BraidMessage first = fresh.nextMessage().message();
      BraidMessage second = fresh.nextMessage().message();
      assertThat(List.of(first, second)).anySatisfy(message -> assertThat(message).isInstanceOf(PubAck.class))
          .anySatisfy(message -> assertThat(message).isInstanceOf(Publish.class));
    }
  }

  private void assertServesAFreshClient() {
    assertServesAFreshClient(connect("fresh"));
  }

  private static int reasonOf(List<BraidMessage> messages) {
    BraidMessage last = messages.get(messages.size() - 1);
    return last instanceof Disconnect disconnect ? disconnect.reasonCode() : ((ConnAck) last).reasonCode();
  }

  // --------------------------------------------------------------------------------------- CONNECT

  @Test
  void closesAConnectionThatSendsNoConnectInTime() {
    broker = TestBrokers.start("sessions.connectTimeoutMillis", "300");
    try (BrokerTestClient client = open()) {
      client.send(new StreamFrame.Settings(StreamSettings.DEFAULTS));

      client.expectClose(CloseCodes.POLICY_VIOLATION);

      assertThat(client.closeReason()).contains("no CONNECT within 300 ms");
    }
    assertThat(metric("braid_limit_hits_total{limit=\"connect_timeout\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void refusesAConnectionWhoseFirstMessageIsNotConnect() {
    broker = TestBrokers.start();
    try (BrokerTestClient client = open()) {
      client.send(new StreamFrame.Settings(StreamSettings.DEFAULTS));
      client.send(1, false, Subscribe.of("t", 0));

      List<BraidMessage> last = client.expectClose(CloseCodes.POLICY_VIOLATION);

      assertThat(reasonOf(last)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }
    assertThat(metric("braid_limit_hits_total{limit=\"connect_first\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void refusesABadPasswordAndAcceptsTheRightOne() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "alice:" + PasswordHash.create("wonderland", 1_000).encoded() + "\n");
    broker = TestBrokers.start("auth.anonymous", "false", "auth.usersFile", users.toString());
    try (BrokerTestClient client = open()) {
      ConnAck refused = client.connect(Connect.builder("a").cleanStart(true).username("alice")
          .password(Buffer.buffer("looking-glass")).build());

      assertThat(refused.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
      client.expectClose(CloseCodes.POLICY_VIOLATION);
    }
    assertThat(metric("braid_auth_failures_total{reason_code=\"0x86\"}")).isEqualTo(1);
    assertServesAFreshClient(Connect.builder("alice-client").cleanStart(true).keepAlive(30).username("alice")
        .password(Buffer.buffer("wonderland")).build());
  }

  @Test
  void refusesAnonymousClientsWhenAnonymousAccessIsOff() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "bob:" + PasswordHash.create("builder", 1_000).encoded() + "\n");
    broker = TestBrokers.start("auth.anonymous", "false", "auth.usersFile", users.toString());
    try (BrokerTestClient client = open()) {
      assertThat(client.connect(connect("nobody")).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
      client.expectClose(CloseCodes.POLICY_VIOLATION);
    }
    assertThat(metric("braid_auth_failures_total{reason_code=\"0x87\"}")).isEqualTo(1);
    assertServesAFreshClient(Connect.builder("bob-client").cleanStart(true).keepAlive(30).username("bob")
        .password(Buffer.buffer("builder")).build());
  }

  @Test
  void refusesAnExpiredTokenAndAcceptsAValidOneInConnectOrInTheHandshakeHeader() {
    broker = TestBrokers.start("auth.anonymous", "false", "auth.jwt.hs256Secret", SECRET);
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    long now = System.currentTimeMillis() / 1000;
    String expired = signer.generateToken(new JsonObject().put("sub", "carol").put("exp", now - 60),
        new JWTOptions().setAlgorithm("HS256"));
    String valid = signer.generateToken(new JsonObject().put("sub", "carol"),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(300));
    try (BrokerTestClient client = open()) {
      ConnAck refused = client.connect(Connect.builder("c").cleanStart(true).token(expired).build());

      assertThat(refused.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(refused.reasonString()).contains("invalid token");
      client.expectClose(CloseCodes.POLICY_VIOLATION);
    }
    assertThat(metric("braid_auth_failures_total{reason_code=\"0x86\"}")).isEqualTo(1);
    assertServesAFreshClient(Connect.builder("token-in-connect").cleanStart(true).keepAlive(30).token(valid).build());
    try (BrokerTestClient header = BrokerTestClient.open(broker.port(), BrokerTestClient.BINARY,
        "Authorization: Bearer " + valid)) {
      assertThat(header.connect(connect("token-in-header")).reasonCode()).isZero();
    }
  }

  @Test
  void refusesAClientIdentifierLongerThanTheLimit() {
    broker = TestBrokers.start("sessions.maxClientIdLength", "23");
    try (BrokerTestClient client = open()) {
      assertThat(client.connect(connect("a-client-id-of-thirty-bytes...")).reasonCode())
          .isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
      client.expectClose(CloseCodes.POLICY_VIOLATION);
    }
    assertThat(metric("braid_limit_hits_total{limit=\"client_id_length\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  // ------------------------------------------------------------------------------------------- ACL

  @Test
  void theAclRefusesSubscribesAndPublishesItDoesNotGrant() throws Exception {
    Path acl = directory.resolve("acl");
    Files.writeString(acl, String.join("\n", "topic read public/#", "topic write public/anyone/#",
        "pattern readwrite health/%c", ""));
    broker = TestBrokers.start("acl.file", acl.toString());
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("guest"))) {
      client.send(1, false, Subscribe.of("private/#", 0));
      assertThat(((SubAck) client.nextMessageOn(1)).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);

      client.send(3, false, Subscribe.of("public/#", 0));
      assertThat(((SubAck) client.nextMessageOn(3)).reasonCode()).isEqualTo(ReasonCode.GRANTED_QOS_0);
      client.send(5, false, Publish.of("public/news", Buffer.buffer("denied qos 1"), 1, 1));
      assertThat(((PubAck) client.nextMessageOn(5)).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
      client.send(5, false, Publish.of("public/news", Buffer.buffer("denied qos 0"), 0, 0));
      client.send(5, false, Publish.of("public/anyone/hello", Buffer.buffer("allowed"), 0, 0));

      Publish delivered = (Publish) client.nextMessageOn(3);
      assertThat(delivered.payload().toString()).as("the denied QoS 0 publish is dropped").isEqualTo("allowed");
    }
    assertThat(metric("braid_acl_denied_total{action=\"subscribe\"}")).isEqualTo(1);
    assertThat(metric("braid_acl_denied_total{action=\"publish\"}")).isEqualTo(2);
    assertThat(metric("braid_messages_refused_total{reason=\"not_authorized\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  // ---------------------------------------------------------------------------------------- limits

  @Test
  void refusesAHandshakeLargerThanTheLimitWith431() {
    broker = TestBrokers.start("limits.maxHandshakeBytes", "512");
    try (RawClient raw = RawClient.connect(broker.port())) {
      raw.write(Handshakes.request(broker.port(), "/braid", Handshakes.newKey(), "X-Padding: " + "p".repeat(600)));

      assertThat(raw.readResponseUntilClosed().statusLine()).startsWith("HTTP/1.1 431");
    }
    assertThat(metric("braid_handshakes_refused_total{status=\"431\"}")).isEqualTo(1);
    assertThat(metric("braid_limit_hits_total{limit=\"handshake_size\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void closesAConnectionThatDoesNotFinishItsHandshakeInTime() {
    broker = TestBrokers.start("limits.handshakeTimeoutMillis", "300");
    try (RawClient raw = RawClient.connect(broker.port())) {
      raw.write("GET /braid HTTP/1.1\r\n");

      raw.assertClosedByServer();
    }
    assertThat(metric("braid_limit_hits_total{limit=\"handshake_time\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void closesAConnectionThatSendsAMessageLargerThanTheLimitWith1009() {
    broker = TestBrokers.start("limits.maxFramePayload", "1024", "limits.maxMessageBytes", "2048");
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("big"))) {
      client.sendWebSocket(Opcode.BINARY, Buffer.buffer(new byte[4096]));

      client.expectClose(CloseCodes.MESSAGE_TOO_BIG);
    }
    assertThat(metric("braid_protocol_errors_total{close_code=\"1009\"}")).isEqualTo(1);
    assertThat(metric("braid_limit_hits_total{limit=\"message_size\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void refusesAStreamBeyondTheLimitWithRefusedStream() {
    broker = TestBrokers.start("limits.maxStreamsPerConnection", "2");
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("streams"))) {
      client.send(1, false, Subscribe.of("a", 0));
      client.nextMessageOn(1);
      client.send(3, false, Subscribe.of("b", 0));
      client.nextMessageOn(3);

      client.send(5, false, Subscribe.of("c", 0));

      StreamFrame refused = client.nextSignificantFrame();
      assertThat(refused).isEqualTo(new StreamFrame.Reset(5, ErrorCode.REFUSED_STREAM));
    }
    assertThat(metric("braid_limit_hits_total{limit=\"streams\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void refusesASubscriptionBeyondTheSessionLimitWithQuotaExceeded() {
    broker = TestBrokers.start("sessions.maxSubscriptions", "2");
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("subs"))) {
      client.send(1, false, Subscribe.of("a", 0));
      client.nextMessageOn(1);
      client.send(3, false, Subscribe.of("b", 0));
      client.nextMessageOn(3);

      client.send(5, false, Subscribe.of("c", 0));

      assertThat(((SubAck) client.nextMessageOn(5)).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
    }
    assertThat(metric("braid_limit_hits_total{limit=\"subscriptions\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void disconnectsASubscriberWhoseQueueOverflowsUnderTheDisconnectPolicy() {
    broker = TestBrokers.start("sessions.maxQueuedMessages", "5", "sessions.queueOverflow", "disconnect");
    int window = StreamSettings.DEFAULTS.initialStreamWindow();
    try (BrokerTestClient subscriber = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("slow"));
        BrokerTestClient publisher = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
            connect("fast"))) {
      subscriber.send(1, false, Subscribe.of("flood", 0));
      subscriber.nextMessageOn(1);

      for (int i = 0; i < window + 10; i++) {
        publisher.send(1, false, Publish.of("flood", Buffer.buffer("m" + i), 0, 0));
      }

      List<BraidMessage> last = subscriber.expectClose(CloseCodes.POLICY_VIOLATION);
      assertThat(reasonOf(last)).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
    }
    assertThat(metric("braid_limit_hits_total{limit=\"queued_messages\"}")).isEqualTo(1);
    assertThat(metric("braid_messages_dropped_total{policy=\"disconnect\",reason=\"queue_full\"}")).isPositive();
    assertServesAFreshClient();
  }

  @Test
  void tellsASubscriberWithTheFirstDeliveryAfterTheGapHowManyMessagesItsFullQueueDropped() {
    // a queue longer than the first burst, so that its messages are never counted as dropped while in transit
    broker = TestBrokers.start("sessions.maxQueuedMessages", "40");
    int window = StreamSettings.DEFAULTS.initialStreamWindow();
    try (BrokerTestClient subscriber = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("lagging"));
        BrokerTestClient publisher = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
            connect("eager"))) {
      subscriber.send(1, false, Subscribe.of("news", 0));
      subscriber.nextMessageOn(1);
      // the SUBACK took one credit: window - 1 deliveries use up the rest
      for (int i = 0; i < window - 1; i++) {
        publisher.send(1, false, Publish.of("news", Buffer.buffer("n" + i), 0, 0));
      }
      for (int i = 0; i < window - 1; i++) {
        assertThat(((Publish) subscriber.nextMessageOn(1)).userProperties()).isEmpty();
      }
      // with no credit left, 40 wait in the queue and 16 are dropped
      for (int i = window - 1; i < window - 1 + 56; i++) {
        publisher.send(1, false, Publish.of("news", Buffer.buffer("n" + i), 0, 0));
      }
      await().untilAsserted(() ->
          assertThat(metric("braid_messages_dropped_total{policy=\"drop-newest\",reason=\"queue_full\"}"))
              .isEqualTo(16));

      subscriber.grant(1, 48);
      for (int i = window - 1; i < window - 1 + 40; i++) {
        Publish queued = (Publish) subscriber.nextMessageOn(1);
        assertThat(queued.payload().toString()).isEqualTo("n" + i);
        assertThat(queued.userProperties()).as("the queued messages came before the gap").isEmpty();
      }
      publisher.send(1, false, Publish.of("news", Buffer.buffer("after the gap"), 0, 0));

      Publish next = (Publish) subscriber.nextMessageOn(1);
      assertThat(next.payload().toString()).isEqualTo("after the gap");
      assertThat(next.userProperties()).containsExactly(new UserProperty("braid.dropped", "16"));
    }
    assertServesAFreshClient();
  }

  @Test
  void refusesABrowserHandshakeFromAnOriginNotAllowedWith403() {
    broker = TestBrokers.start("server.allowedOrigins", "https://chat.example");
    try (RawClient raw = RawClient.connect(broker.port())) {
      raw.write(Handshakes.request(broker.port(), "/braid", Handshakes.newKey(), "Sec-WebSocket-Protocol: braid.v1",
          "Origin: https://evil.example"));

      assertThat(raw.readResponseUntilClosed().statusLine()).startsWith("HTTP/1.1 403");
    }
    assertThat(metric("braid_handshakes_refused_total{status=\"403\"}")).isEqualTo(1);
    try (BrokerTestClient allowed = BrokerTestClient.open(broker.port(), BrokerTestClient.BINARY,
        "Origin: https://chat.example")) {
      assertThat(allowed.connect(connect("from-chat")).reasonCode()).isZero();
    }
  }

  @Test
  void refusesTopicsLongerThanTheLimit() {
    broker = TestBrokers.start("limits.maxTopicLength", "16");
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("long"))) {
      client.send(1, false, Subscribe.of("a-filter/longer/than/16", 0));
      assertThat(((SubAck) client.nextMessageOn(1)).reasonCode()).isEqualTo(ReasonCode.TOPIC_FILTER_INVALID);

      client.send(3, false, Publish.of("a-topic/longer/than/16", Buffer.buffer("x"), 1, 1));
      assertThat(((PubAck) client.nextMessageOn(3)).reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
      client.send(3, false, Publish.of("a-topic/longer/than/16", Buffer.buffer("x"), 0, 0));
      List<BraidMessage> last = client.expectClose(CloseCodes.POLICY_VIOLATION);
      assertThat(reasonOf(last)).as("QoS 0 has no acknowledgement to refuse in")
          .isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    }
    assertThat(metric("braid_limit_hits_total{limit=\"topic_filter\"}")).isEqualTo(1);
    assertThat(metric("braid_limit_hits_total{limit=\"topic_name\"}")).isEqualTo(2);
    assertServesAFreshClient(Connect.builder("short").cleanStart(true).keepAlive(30).build());
  }

  @Test
  void refusesTopicsDeeperThanTheLimit() {
    broker = TestBrokers.start("limits.maxTopicLevels", "3");
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("deep"))) {
      client.send(1, false, Subscribe.of("a/b/c/d", 0));
      assertThat(((SubAck) client.nextMessageOn(1)).reasonCode()).isEqualTo(ReasonCode.TOPIC_FILTER_INVALID);

      client.send(3, false, Publish.of("a/b/c/d", Buffer.buffer("x"), 1, 1));
      assertThat(((PubAck) client.nextMessageOn(3)).reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    }
    assertThat(metric("braid_limit_hits_total{limit=\"topic_filter\"}")).isEqualTo(1);
    assertThat(metric("braid_limit_hits_total{limit=\"topic_name\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void refusesConnectionsBeyondTheNodeLimitWith503() {
    broker = TestBrokers.start("limits.maxConnections", "2");
    try (BrokerTestClient first = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("one"));
        BrokerTestClient second = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
            connect("two"));
        RawClient third = RawClient.connect(broker.port())) {
      third.write(Handshakes.request(broker.port(), "/braid", Handshakes.newKey(),
          "Sec-WebSocket-Protocol: braid.v1"));

      assertThat(third.readResponseUntilClosed().statusLine()).startsWith("HTTP/1.1 503");
    }
    assertThat(metric("braid_limit_hits_total{limit=\"connections\"}")).isEqualTo(1);
    org.awaitility.Awaitility.await().untilAsserted(() ->
        assertThat(metric("braid_connections")).isZero()); // the slots are free again
    assertServesAFreshClient();
  }

  @Test
  void refusesConnectionsFasterThanTheRatePerAddressWith429() {
    broker = TestBrokers.start("limits.connectionRatePerIp", "1", "limits.connectionBurstPerIp", "1"); // bursts of one
    int refused = 0;
    for (int i = 0; i < 6; i++) {
      try (RawClient raw = RawClient.connect(broker.port())) {
        raw.write(Handshakes.request(broker.port(), "/braid", Handshakes.newKey(), "Sec-WebSocket-Protocol: braid.v1"));
        if (raw.readResponseHead().statusLine().startsWith("HTTP/1.1 429")) {
          refused++;
        }
      }
    }
    assertThat(refused).as("six connections within a few seconds at most: at most three pass")
        .isGreaterThanOrEqualTo(3);
    assertThat(metric("braid_limit_hits_total{limit=\"connection_rate\"}")).isEqualTo(refused);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
      try (BrokerTestClient client = BrokerTestClient.open(broker.port(), BrokerTestClient.BINARY)) {
        assertThat(client.connect(connect("later")).reasonCode()).isZero();
      }
    });
  }

  @Test
  void theDefaultsLetOneAddressOpenManyConnectionsAtOnce() {
    broker = TestBrokers.start();
    List<RawClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) { // a conformance suite, a load test, a fleet behind one NAT
        RawClient raw = RawClient.connect(broker.port());
        open.add(raw);
        raw.write(Handshakes.request(broker.port(), "/braid", Handshakes.newKey(), "Sec-WebSocket-Protocol: braid.v1"));
        assertThat(raw.readResponseHead().statusLine()).as("connection %d", i).startsWith("HTTP/1.1 101");
      }
    } finally {
      open.forEach(RawClient::close);
    }
    assertThat(metric("braid_limit_hits_total{limit=\"connection_rate\"}")).isZero();
  }

  @Test
  void refusesQos1PublishesFasterThanTheRateWithQuotaExceeded() {
    broker = TestBrokers.start("limits.publishRatePerClient", "1"); // one a second, bursts of one
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("chatty"))) {
      int quotaExceeded = 0;
      for (int i = 1; i <= 10; i++) {
        client.send(1, false, Publish.of("rate", Buffer.buffer("m"), 1, i));
      }
      for (int i = 1; i <= 10; i++) {
        if (((PubAck) client.nextMessageOn(1)).reasonCode() == ReasonCode.QUOTA_EXCEEDED) {
          quotaExceeded++;
        }
      }
      assertThat(quotaExceeded).isGreaterThanOrEqualTo(5);
    }
    assertThat(metric("braid_limit_hits_total{limit=\"publish_rate\"}")).isGreaterThanOrEqualTo(5);
    assertServesAFreshClient();
  }

  @Test
  void slowsAQos0PublisherOverTheRateInsteadOfDisconnectingIt() {
    // ten a second, bursts of ten; the protocol's default stream window
    broker = TestBrokers.start("limits.publishRatePerClient", "10", "limits.streamWindow", "32");
    try (EndpointTestClient subscriber = EndpointTestClient.connected(broker.port(), BrokerTestClient.BINARY,
            connect("listener"));
        EndpointTestClient publisher = EndpointTestClient.connected(broker.port(), BrokerTestClient.BINARY,
            connect("flood"))) {
      int stream = subscriber.subscribe(Subscribe.of("rate", 0));
      int publishing = publisher.openStream();
      long start = System.nanoTime();
      for (int i = 1; i <= 50; i++) { // a stream window of 32: the 50th waits for the credit of the 18th
        publisher.send(publishing, Publish.of("rate", Buffer.buffer("m" + i)), false);
      }
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(elapsedMillis).as("the 18th publish's credit comes back 0.8 s after the burst of ten")
          .isGreaterThanOrEqualTo(700);
      for (int i = 1; i <= 50; i++) {
        EndpointTestClient.Received delivery = subscriber.next();
        assertThat(delivery.streamId()).isEqualTo(stream);
        assertThat(((Publish) delivery.message()).payload().toString()).isEqualTo("m" + i);
      }
    }
    assertThat(metric("braid_limit_hits_total{limit=\"publish_rate\"}")).isEqualTo(40);
  }

  // ----------------------------------------------------------------------- flow control, malformed

  @Test
  void resetsAStreamWhoseClientSendsBeyondItsCredit() throws Exception {
    // a password that takes about a second to check: the publishes sent right after CONNECT wait for the session,
    // unconsumed, so no credit can come back before the last one is checked, however the reads are split
    Path users = directory.resolve("users");
    Files.writeString(users, "slow:" + PasswordHash.create("pw", 1_000_000).encoded() + "\n");
    broker = TestBrokers.start("auth.anonymous", "false", "auth.usersFile", users.toString(),
        "limits.streamWindow", "32"); // the window the client may assume before the broker's SETTINGS arrive
    try (BrokerTestClient client = open()) {
      Buffer batch = Buffer.buffer();
      BinaryFrameCodec.encode(new StreamFrame.Settings(StreamSettings.DEFAULTS), batch);
      BinaryFrameCodec.encode(new StreamFrame.Data(0, false,
          BinaryMessageCodec.INSTANCE.encode(Connect.builder("greedy").cleanStart(true)
              .keepAlive(30).username("slow").password(Buffer.buffer("pw")).build())), batch);
      int window = StreamSettings.DEFAULTS.initialStreamWindow();
      for (int i = 1; i <= window + 1; i++) {
        BinaryFrameCodec.encode(new StreamFrame.Data(1, false,
            BinaryMessageCodec.INSTANCE.encode(Publish.of("t", Buffer.buffer("x"), 0, 0))),
            batch);
      }
      client.sendWebSocket(Opcode.BINARY, batch);

      assertThat(client.nextSignificantFrame()).isEqualTo(new StreamFrame.Reset(1, ErrorCode.FLOW_CONTROL_ERROR));
      assertThat(((ConnAck) client.nextMessageOn(0)).reasonCode()).isZero();
    }
    assertThat(metric("braid_stream_errors_total{code=\"flow_control_error\"}")).isEqualTo(1);
    assertServesAFreshClient(Connect.builder("slow-again").cleanStart(true).keepAlive(30).username("slow")
        .password(Buffer.buffer("pw")).build());
  }

  @Test
  void disconnectsAClientThatSendsAMalformedMessageOnTheControlStream() {
    broker = TestBrokers.start();
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("garbled"))) {
      client.sendRawData(0, false, Buffer.buffer(new byte[] {(byte) 0xEE, 0x00}));

      List<BraidMessage> last = client.expectClose(CloseCodes.PROTOCOL_ERROR);
      assertThat(reasonOf(last)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
    assertThat(metric("braid_protocol_errors_total{close_code=\"1002\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void resetsOnlyTheStreamOfAMalformedMessageOnAnotherStream() {
    broker = TestBrokers.start();
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("half-garbled"))) {
      client.sendRawData(1, false, Buffer.buffer(new byte[] {0x03, (byte) 0xFF}));

      assertThat(client.nextSignificantFrame()).isEqualTo(new StreamFrame.Reset(1, ErrorCode.MESSAGE_ERROR));
      client.send(3, false, Subscribe.of("still/works", 0));
      assertThat(client.nextMessageOn(3)).isInstanceOf(SubAck.class);
    }
    assertThat(metric("braid_stream_errors_total{code=\"message_error\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }

  @Test
  void sendsGoAwayAndClosesOnAMalformedStreamFrame() {
    broker = TestBrokers.start();
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("broken-frames"))) {
      client.sendWebSocket(Opcode.BINARY, Buffer.buffer(new byte[] {0x01, (byte) 0xF0, 0x00})); // frame type 0xF

      StreamFrame goAway = client.nextSignificantFrame();
      assertThat(goAway).isInstanceOf(StreamFrame.GoAway.class);
      assertThat(((StreamFrame.GoAway) goAway).errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      client.expectClose(CloseCodes.PROTOCOL_ERROR);
    }
    assertServesAFreshClient();
  }

  @Test
  void closesWith1003AClientThatSendsTextOnTheBinarySubprotocol() {
    broker = TestBrokers.start();
    try (BrokerTestClient client = BrokerTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        connect("wrong-kind"))) {
      client.sendWebSocket(Opcode.TEXT, Buffer.buffer("{\"stream\":0}"));

      client.expectClose(CloseCodes.UNSUPPORTED_DATA);
    }
    assertThat(metric("braid_protocol_errors_total{close_code=\"1003\"}")).isEqualTo(1);
    assertServesAFreshClient();
  }
}
