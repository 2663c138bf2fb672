package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Vert.x's {@link WebSocketClient} with compression on (Netty's permessage-deflate) against {@code /echo}. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeflatePeersIT {
  private static final long WAIT_SECONDS = 30;

  private BraidServer server;
  private WebSocketClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.startEcho(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    TestServers.stop(server);
  }

  private WebSocket connect(Vertx vertx, WebSocketClientOptions options) throws Exception {
    client = vertx.createWebSocketClient(options.setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
    return client.connect(new WebSocketConnectOptions().setHost(TestServers.HOST).setPort(server.actualPort()).setURI("/echo"))
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static String text(int size) {
    StringBuilder sb = new StringBuilder();
    Random random = new Random(size);
    while (sb.length() < size) {
      sb.append("{\"topic\":\"room/").append(random.nextInt(20)).append("\",\"text\":\"héllo ✓\"} ");
    }
    return sb.substring(0, size);
  }

  private static void echoesUnchanged(WebSocket ws) throws Exception {
    BlockingQueue<Buffer> echoes = new LinkedBlockingQueue<>();
    ws.binaryMessageHandler(echoes::add);
    ws.textMessageHandler(t -> echoes.add(Buffer.buffer(t)));
    byte[] noise = new byte[50_000];
    new Random(7).nextBytes(noise);
    for (String message : new String[] {text(100_000), "tiny", text(1_000), text(100_000)}) {
      ws.writeTextMessage(message).await(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(echoes.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(Buffer.buffer(message));
    }
    ws.writeBinaryMessage(Buffer.buffer(noise)).await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(echoes.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(Buffer.buffer(noise));
  }

  @Test
  void vertxClientNegotiatesDeflateAndEchoesThroughIt(Vertx vertx) throws Exception {
    WebSocket ws = connect(vertx, new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    assertThat(ws.headers().get("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
    echoesUnchanged(ws);
  }

  @Test
  void vertxClientAskingForNoContextTakeoverEchoesThroughIt(Vertx vertx) throws Exception {
    WebSocket ws = connect(vertx, new WebSocketClientOptions().setTryUsePerMessageCompression(true)
        .setCompressionRequestServerNoContext(true).setCompressionAllowClientNoContext(true).setCompressionLevel(1));
    assertThat(ws.headers().get("Sec-WebSocket-Extensions")).contains("server_no_context_takeover");
    echoesUnchanged(ws);
  }

  @Test
  void serverWithCompressionOffDeclinesTheOfferAndStillEchoes(Vertx vertx) throws Exception {
    TestServers.stop(server);
    server = TestServers.start(vertx, options -> options.permessageDeflate(null));
    WebSocket ws = connect(vertx, new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    assertThat(ws.headers().get("Sec-WebSocket-Extensions")).isNull();
    echoesUnchanged(ws);
  }
}
