package io.braid.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.client.WsClient;
import io.braid.client.WsClientConnection;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.Opcode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class EchoEndpointTest {
  private BraidServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = BraidServer.start(vertx, new BraidServerOptions().port(0).host("127.0.0.1").instances(2).echoEnabled(true))
        .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  private WsClientConnection connect(Vertx vertx) throws Exception {
    return WsClient.create(vertx).connect(server.actualPort(), "127.0.0.1", "/echo").await(10, TimeUnit.SECONDS);
  }

  @Test
  void echoesTextMessage(Vertx vertx, VertxTestContext ctx) throws Exception {
    WsClientConnection ws = connect(vertx);
    ws.textHandler(text -> ctx.verify(() -> {
      assertThat(text).isEqualTo("héllo wörld");
      ctx.completeNow();
    }));
    ws.sendText("héllo wörld");
  }

  @Test
  void echoesFragmentedBinaryMessageAsOneMessage(Vertx vertx, VertxTestContext ctx) throws Exception {
    WsClientConnection ws = connect(vertx);
    ws.binaryHandler(data -> ctx.verify(() -> {
      assertThat(data).isEqualTo(Buffer.buffer("abcdef"));
      ctx.completeNow();
    }));
    ws.sendFrame(Opcode.BINARY, false, Buffer.buffer("ab"));
    ws.ping(Buffer.buffer("between fragments"));
    ws.sendFrame(Opcode.CONTINUATION, false, Buffer.buffer("cd"));
    ws.sendFrame(Opcode.CONTINUATION, true, Buffer.buffer("ef"));
  }

  @Test
  void answersPingWithPongCarryingSamePayload(Vertx vertx, VertxTestContext ctx) throws Exception {
    WsClientConnection ws = connect(vertx);
    ws.pongHandler(payload -> ctx.verify(() -> {
      assertThat(payload).isEqualTo(Buffer.buffer("are you there?"));
      ctx.completeNow();
    }));
    ws.ping(Buffer.buffer("are you there?"));
  }

  @Test
  void closeHandshakeEchoesCodeAndServerClosesTcp(Vertx vertx, VertxTestContext ctx) throws Exception {
    WsClientConnection ws = connect(vertx);
    ws.close(CloseCodes.NORMAL, "bye").onComplete(ctx.succeeding(reason -> ctx.verify(() -> {
      assertThat(reason.code()).isEqualTo(CloseCodes.NORMAL);
      ctx.completeNow();
    })));
  }

  @Test
  void shutdownSendsGoingAwayToEveryClient(Vertx vertx, VertxTestContext ctx) throws Exception {
    WsClientConnection a = connect(vertx);
    WsClientConnection b = connect(vertx);
    var checkpoint = ctx.checkpoint(2);
    for (WsClientConnection ws : new WsClientConnection[] {a, b}) {
      ws.closeFuture().onComplete(ctx.succeeding(reason -> ctx.verify(() -> {
        assertThat(reason.code()).isEqualTo(CloseCodes.GOING_AWAY);
        checkpoint.flag();
      })));
    }
    server.close();
  }
}
