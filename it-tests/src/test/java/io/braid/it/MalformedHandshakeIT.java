package io.braid.it;

import static io.braid.it.Handshakes.SAMPLE_KEY;
import static io.braid.it.Handshakes.head;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The opening handshake (RFC 6455 §4.2.1) byte for byte over a raw socket: each refusal is a
 * complete HTTP response with the right status and a short reason, after which the server closes
 * the connection and still serves a fresh client; valid heads succeed however they are split.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MalformedHandshakeIT {
  private BraidServer server;
  private int port;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.startEcho(vertx);
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void methodMustBeGet() {
    assertRefused(head("POST /echo HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"),
        "HTTP/1.1 400 Bad Request", "method must be GET");
  }

  @Test
  void httpVersionMustBeAtLeast11() {
    assertRefused(head("GET /echo HTTP/1.0", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"),
        "HTTP/1.1 400 Bad Request", "HTTP/1.1 or later is required");
  }

  @Test
  void hostHeaderIsRequired() {
    assertRefused(head("GET /echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"),
        "HTTP/1.1 400 Bad Request", "exactly one Host header is required");
  }

  @Test
  void upgradeHeaderMustNameWebsocket() {
    assertRefused(head("GET /echo HTTP/1.1", "Host: 127.0.0.1", "Connection: Upgrade",
            "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"),
        "HTTP/1.1 400 Bad Request", "Upgrade header must contain 'websocket'");
  }

  @Test
  void connectionHeaderMustContainUpgradeToken() {
    assertRefused(head("GET /echo HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: keep-alive",
            "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"),
        "HTTP/1.1 400 Bad Request", "Connection header must contain 'Upgrade'");
  }

  @Test
  void keyMustBeBase64() {
    assertRefused(head("GET /echo HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: not*base64*at*all!!!!!!", "Sec-WebSocket-Version: 13"),
        "HTTP/1.1 400 Bad Request", "Sec-WebSocket-Key is not base64");
  }

  @Test
  void keyMustDecodeToSixteenBytes() {
    String fifteenBytes = java.util.Base64.getEncoder().encodeToString(new byte[15]);
    assertRefused(head("GET /echo HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: " + fifteenBytes, "Sec-WebSocket-Version: 13"),
        "HTTP/1.1 400 Bad Request", "Sec-WebSocket-Key must be 16 bytes in base64");
  }

  @Test
  void versionOtherThan13GetsUpgradeRequiredNamingVersion13() {
    HttpResponse response = assertRefused(head("GET /echo HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket",
            "Connection: Upgrade", "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 8"),
        "HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version must be 13");
    assertThat(response.header("Sec-WebSocket-Version")).isEqualTo("13");
  }

  @Test
  void missingVersionGetsUpgradeRequiredNamingVersion13() {
    HttpResponse response = assertRefused(head("GET /echo HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket",
            "Connection: Upgrade", "Sec-WebSocket-Key: " + SAMPLE_KEY),
        "HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version must be 13");
    assertThat(response.header("Sec-WebSocket-Version")).isEqualTo("13");
  }

  @Test
  void requestLineMustHaveMethodTargetAndVersion() {
    assertRefused(head("GET /echo", "Host: 127.0.0.1"),
        "HTTP/1.1 400 Bad Request", "request line must be 'method SP target SP version'");
  }

  @Test
  void unknownPathIsNotFound() {
    assertRefused(Handshakes.request(port, "/no-such-endpoint", SAMPLE_KEY),
        "HTTP/1.1 404 Not Found", "no WebSocket endpoint at /no-such-endpoint");
  }

  @Test
  void originOutsideTheAllowListIsForbidden(Vertx vertx) throws Exception {
    BraidServer guarded = TestServers.start(vertx, o -> o.allowedOrigins(List.of("https://good.example")));
    try {
      int guardedPort = guarded.actualPort();
      assertRefused(guardedPort, Handshakes.request(guardedPort, "/echo", SAMPLE_KEY, "Origin: https://evil.example"),
          "HTTP/1.1 403 Forbidden", "origin not allowed");
    } finally {
      TestServers.stop(guarded);
    }
  }

  @Test
  void originOnTheAllowListAndNoOriginAreAccepted(Vertx vertx) throws Exception {
    BraidServer guarded = TestServers.start(vertx, o -> o.allowedOrigins(List.of("https://good.example")));
    try {
      int guardedPort = guarded.actualPort();
      assertUpgradedAndEchoes(guardedPort, Handshakes.request(guardedPort, "/echo", SAMPLE_KEY, "Origin: https://good.example"));
      assertUpgradedAndEchoes(guardedPort, Handshakes.request(guardedPort, "/echo", SAMPLE_KEY));
    } finally {
      TestServers.stop(guarded);
    }
  }

  @Test
  void headLargerThanMaxHandshakeSizeIsTooLarge(Vertx vertx) throws Exception {
    BraidServer small = TestServers.start(vertx, o -> o.maxHandshakeSize(1024));
    try {
      // Exactly one byte past the limit, so the server has read all we sent when it refuses.
      String start = Handshakes.request(small.actualPort(), "/echo", SAMPLE_KEY).replace("\r\n\r\n", "\r\n");
      String padding = "X-Padding: ";
      String request = start + padding + "a".repeat(1025 - start.length() - padding.length() - 4) + "\r\n\r\n";
      assertThat(request).hasSize(1025);
      assertRefused(small.actualPort(), request, "HTTP/1.1 431 Request Header Fields Too Large", "request head exceeds 1024 bytes");
    } finally {
      TestServers.stop(small);
    }
  }

  @Test
  void moreHeaderFieldsThanMaxHeaderCountIsTooLarge() {
    // The default limit is 64 fields: the 5 required ones plus 60 more make 65.
    String[] extra = new String[60];
    for (int i = 0; i < extra.length; i++) {
      extra[i] = "X-Extra-" + i + ": " + i;
    }
    assertRefused(Handshakes.request(port, "/echo", SAMPLE_KEY, extra),
        "HTTP/1.1 431 Request Header Fields Too Large", "more than 64 header fields");
  }

  @Test
  void headArrivingOneByteAtATimeIsAccepted() {
    String key = Handshakes.newKey();
    try (RawClient client = RawClient.connect(port)) {
      client.writeOneByteAtATime(Handshakes.request(port, "/echo", key).getBytes(StandardCharsets.ISO_8859_1));
      client.assertSwitchingProtocols(client.readResponseHead(), key);
      assertEchoes(client, "after a byte-at-a-time head");
    }
  }

  @Test
  void framesSentInTheSameWriteAsTheHeadReachTheEndpoint() {
    String key = Handshakes.newKey();
    try (RawClient client = RawClient.connect(port)) {
      client.write(ClientFrames.concat(Handshakes.request(port, "/echo", key).getBytes(StandardCharsets.ISO_8859_1),
          ClientFrames.text("pipelined"), ClientFrames.binary(new byte[] {1, 2, 3})));
      client.assertSwitchingProtocols(client.readResponseHead(), key);
      ServerFrame text = client.readFrame();
      assertThat(text.opcode()).isEqualTo(ClientFrames.TEXT);
      assertThat(text.text()).isEqualTo("pipelined");
      ServerFrame binary = client.readFrame();
      assertThat(binary.opcode()).isEqualTo(ClientFrames.BINARY);
      assertThat(binary.payload()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void headerNamesAndTokensAreCaseInsensitiveAndConnectionMayBeAList() {
    String key = Handshakes.newKey();
    assertUpgradedAndEchoes(port, key, head("GET /echo HTTP/1.1", "host: 127.0.0.1", "Upgrade: WebSocket",
        "Connection: keep-alive, Upgrade", "sec-websocket-key: " + key, "SEC-WEBSOCKET-VERSION: 13"));
  }

  @Test
  void headNotCompletedWithinHandshakeTimeoutIsDropped(Vertx vertx) throws Exception {
    BraidServer impatient = TestServers.start(vertx, o -> o.handshakeTimeoutMillis(300));
    try (RawClient client = RawClient.connect(impatient.actualPort())) {
      long start = System.nanoTime();
      client.write("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
      byte[] received = client.readUntilClosed();
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(received).as("no response to a head that never completed").isEmpty();
      assertThat(elapsedMillis).as("closed after the 300 ms timeout, not before").isGreaterThanOrEqualTo(250);
      EchoProbe.assertServesFreshClient(impatient.actualPort());
    } finally {
      TestServers.stop(impatient);
    }
  }

  @Test
  void handshakeTimeoutBoundsTheWholeHeadNotTheGapBetweenBytes(Vertx vertx) throws Exception {
    // Slowloris: a byte every 50 ms keeps the connection busy but must not extend the 300 ms limit.
    BraidServer impatient = TestServers.start(vertx, o -> o.handshakeTimeoutMillis(300));
    byte[] head = Handshakes.request(impatient.actualPort(), "/echo", SAMPLE_KEY).getBytes(StandardCharsets.ISO_8859_1);
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try (RawClient client = RawClient.connect(impatient.actualPort())) {
      AtomicInteger sent = new AtomicInteger();
      long start = System.nanoTime();
      trickle.scheduleAtFixedRate(() -> client.write(new byte[] {head[sent.getAndIncrement()]}), 0, 50, TimeUnit.MILLISECONDS);
      byte[] received = client.readUntilClosed();
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(received).as("no response to a head that never completed").isEmpty();
      assertThat(elapsedMillis).as("dropped soon after the 300 ms timeout").isBetween(250L, 2_000L);
      assertThat(sent.get()).as("bytes trickled before the drop").isLessThan(head.length);
    } finally {
      trickle.shutdownNow();
      TestServers.stop(impatient);
    }
  }

  private HttpResponse assertRefused(String request, String statusLine, String reason) {
    return assertRefused(port, request, statusLine, reason);
  }

  /**
   * Sends {@code request} and asserts a complete refusal: the status line, a plain-text body with the
   * reason, {@code Connection: close}, no upgrade; then that the server closed the connection and
   * still serves a fresh client.
   */
  private static HttpResponse assertRefused(int port, String request, String statusLine, String reason) {
    HttpResponse response;
    try (RawClient client = RawClient.connect(port)) {
      client.write(request);
      response = client.readResponseUntilClosed();
    }
    assertThat(response.statusLine()).isEqualTo(statusLine);
    assertThat(response.bodyText()).isEqualTo(reason + "\n");
    assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(response.body().length));
    assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(response.header("Connection")).isEqualTo("close");
    assertThat(response.header("Upgrade")).isNull();
    assertThat(response.header("Sec-WebSocket-Accept")).isNull();
    EchoProbe.assertServesFreshClient(port);
    return response;
  }

  private static void assertUpgradedAndEchoes(int port, String request) {
    String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow()
        .substring("Sec-WebSocket-Key: ".length());
    assertUpgradedAndEchoes(port, key, request);
  }

  private static void assertUpgradedAndEchoes(int port, String key, String request) {
    try (RawClient client = RawClient.connect(port)) {
      client.write(request);
      client.assertSwitchingProtocols(client.readResponseHead(), key);
      assertEchoes(client, "hello");
    }
  }

  private static void assertEchoes(RawClient client, String text) {
    client.write(ClientFrames.text(text));
    ServerFrame echo = client.readFrame();
    assertThat(echo.opcode()).isEqualTo(ClientFrames.TEXT);
    assertThat(echo.fin()).isTrue();
    assertThat(echo.text()).isEqualTo(text);
  }
}
