package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.message.Connect;
import io.braid.server.BrokerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.webRoot}: a web page's files over plain HTTP on the broker's port, next to the WebSocket endpoint,
 * exactly the files of the web root and nothing else.
 */
class WebRootIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path webRoot;
  private BrokerRuntime broker;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(webRoot.resolve("index.html"), "<!doctype html><title>chat</title>");
    Files.createDirectories(webRoot.resolve("js"));
    Files.writeString(webRoot.resolve("js/app.js"), "export const answer = 42;");
    broker = TestBrokers.start("server.webRoot", webRoot.toString());
  }

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRootServesIndexHtml() throws Exception {
    HttpResponse<String> page = request("GET", "/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.body()).isEqualTo("<!doctype html><title>chat</title>");
  }

  @Test
  void aScriptIsServedAsJavaScriptFromItsPath() throws Exception {
    HttpResponse<String> script = request("GET", "/js/app.js");

    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).isEqualTo("export const answer = 42;");
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    HttpResponse<String> head = request("HEAD", "/js/app.js");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValue("25");
    assertThat(head.body()).isEmpty();
  }

  @Test
  void anythingElseIsNotFoundOrNotAllowed() throws Exception {
    assertThat(request("GET", "/missing.html").statusCode()).isEqualTo(404);
    assertThat(request("POST", "/").statusCode()).isEqualTo(405);
    assertThat(request("DELETE", "/index.html").statusCode()).isEqualTo(405);
  }

  @Test
  void aPathThatClimbsOutOfTheWebRootFindsNothing() {
    try (RawClient raw = RawClient.connect(broker.port())) {
      raw.write(("GET /../../../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      assertThat(raw.readResponseHead().statusLine()).startsWith("HTTP/1.1 404");
    }
  }

  @Test
  void theWebSocketEndpointStillAnswersOnTheSamePort() {
    try (EndpointTestClient client = EndpointTestClient.connected(broker.port(), BrokerTestClient.BINARY,
        Connect.builder("next-to-the-page").cleanStart(true).keepAlive(60).build())) {
      assertThat(client.connAck().reasonCode()).isZero();
    }
  }
}
