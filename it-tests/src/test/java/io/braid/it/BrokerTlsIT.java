package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.BrokerRuntime;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wss end to end: the broker serves TLS from PEM files made at test time on a second port, next to the plain one,
 * and the JDK's WebSocket client, trusting that certificate only, runs a session over it.
 */
class BrokerTlsIT {

  @TempDir
  Path directory;
  private BrokerRuntime broker;
  private TestCertificates certificates;

  @BeforeEach
  void start() {
    certificates = TestCertificates.create(directory);
    broker = TestBrokers.start("server.tls.enabled", "true", "server.tls.port", "0",
        "server.tls.certFile", certificates.certFile().toString(),
        "server.tls.keyFile", certificates.keyFile().toString());
  }

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
  }

  @Test
  void servesASessionOverWssWithTheConfiguredCertificate() throws Exception {
    assertThat(broker.tlsPort()).isPositive().isNotEqualTo(broker.port());
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    HttpClient https = HttpClient.newBuilder().sslContext(certificates.trustingContext()).build();
    WebSocket ws = https.newWebSocketBuilder().subprotocols("braid.v1.json")
        .buildAsync(URI.create("wss://localhost:" + broker.tlsPort() + "/braid"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.add(data.toString());
            webSocket.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    try {
      ws.sendText("{\"stream\":0,\"frame\":\"settings\",\"settings\":{}}", true).get(5, TimeUnit.SECONDS);
      ws.sendText("{\"stream\":0,\"message\":{\"type\":\"connect\",\"clientId\":\"secure\",\"cleanStart\":true,"
          + "\"keepAlive\":30}}", true).get(5, TimeUnit.SECONDS);
      ws.sendText("{\"stream\":1,\"message\":{\"type\":\"subscribe\",\"topicFilter\":\"secure/#\",\"maxQos\":0}}", true)
          .get(5, TimeUnit.SECONDS);
      ws.sendText("{\"stream\":3,\"end\":true,\"message\":{\"type\":\"publish\",\"topic\":\"secure/x\","
          + "\"payload\":\"over tls\",\"encoding\":\"utf8\"}}", true).get(5, TimeUnit.SECONDS);

      JsonObject delivery = null;
      for (int i = 0; i < 6 && delivery == null; i++) {
        String text = received.poll(10, TimeUnit.SECONDS);
        assertThat(text).isNotNull();
        JsonObject frame = new JsonObject(text);
        JsonObject message = frame.getJsonObject("message");
        if (message != null && "publish".equals(message.getString("type"))) {
          delivery = message;
        }
      }
      assertThat(delivery).isNotNull();
      assertThat(delivery.getString("payload")).isEqualTo("over tls");
      assertThat(ws.getSubprotocol()).isEqualTo("braid.v1.json");
    } finally {
      ws.abort();
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateCannotConnect() {
    HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> untrusting.newWebSocketBuilder()
        .subprotocols("braid.v1.json")
        .buildAsync(URI.create("wss://localhost:" + broker.tlsPort() + "/braid"), new WebSocket.Listener() { })
        .get(10, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SSLHandshakeException.class);
  }
}
