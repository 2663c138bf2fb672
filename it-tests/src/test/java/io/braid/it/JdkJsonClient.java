package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code java.net.http.WebSocket} speaking {@code braid.v1.json} typed by hand: a client nobody here wrote,
 * which knows nothing of Braid but the strings the tests send. Whole text messages arrive in a queue.
 */
final class JdkJsonClient implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WebSocket ws;
  private final BlockingQueue<String> received;

  private JdkJsonClient(WebSocket ws, BlockingQueue<String> received) {
    this.ws = ws;
    this.received = received;
  }

  /** Opens {@code ws://127.0.0.1:port/braid} with the subprotocol {@code braid.v1.json}. */
  static JdkJsonClient connect(int port) throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket ws = HTTP.newWebSocketBuilder()
        .subprotocols("braid.v1.json")
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/braid"), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              received.add(text.toString());
              text.setLength(0);
            }
            webSocket.request(1);
            return null;
          }
        })
        .get(10, TimeUnit.SECONDS);
    return new JdkJsonClient(ws, received);
  }

  String subprotocol() {
    return ws.getSubprotocol();
  }

  void send(String json) throws Exception {
    ws.sendText(json, true).get(10, TimeUnit.SECONDS);
  }

  /** The next frame from the broker, within 10 seconds. */
  JsonObject next() throws InterruptedException {
    String text = received.poll(10, TimeUnit.SECONDS);
    assertThat(text).as("a frame from the broker within 10 s").isNotNull();
    return new JsonObject(text);
  }

  @Override
  public void close() {
    ws.abort();
  }
}
