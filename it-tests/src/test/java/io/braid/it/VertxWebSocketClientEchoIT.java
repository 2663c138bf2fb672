package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vert.x's own {@link WebSocketClient} (Netty's codec underneath) against {@code /echo}. Frames are
 * recorded as they arrive, so the tests also see that the echo keeps the sender's fragmentation.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VertxWebSocketClientEchoIT {
  private static final long WAIT_SECONDS = 30;
  private static final int MAX_SIZE = 32 * 1024 * 1024;

  private BraidServer server;
  private WebSocketClient client;
  private WebSocket ws;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final BlockingQueue<Buffer> pongs = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.startEcho(vertx);
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(MAX_SIZE)
        .setMaxMessageSize(MAX_SIZE)
        .setTryUsePerMessageCompression(false));
    ws = client.connect(new WebSocketConnectOptions().setHost(TestServers.HOST).setPort(server.actualPort()).setURI("/echo"))
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    ws.frameHandler(frame -> {
      if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
        frames.add(new Frame(frame.type(), frame.isFinal(), frame.binaryData().copy()));
      }
    });
    ws.pongHandler(pongs::add);
    ws.closeHandler(v -> closed.complete(null));
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    TestServers.stop(server);
  }

  @Test
  void textMessageIsEchoedUnchanged() throws Exception {
    ws.writeTextMessage("héllo wörld ✓ 😀").await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(nextMessage()).isEqualTo(new Frame(WebSocketFrameType.TEXT, true, Buffer.buffer("héllo wörld ✓ 😀")));
  }

  @Test
  void binaryMessageIsEchoedUnchanged() throws Exception {
    Buffer data = Buffer.buffer(new byte[] {0, 1, (byte) 0xFF, 0x7F, (byte) 0x80});
    ws.writeBinaryMessage(data).await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(nextMessage()).isEqualTo(new Frame(WebSocketFrameType.BINARY, true, data));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 125, 126, 65535, 65536, Payloads.MIB_16})
  void textMessageOfEverySizeIsEchoedUnchanged(int size) throws Exception {
    String text = Payloads.text(size);
    ws.writeTextMessage(text).await(WAIT_SECONDS, TimeUnit.SECONDS);
    Frame echo = nextMessage();
    assertThat(echo.type()).isEqualTo(WebSocketFrameType.TEXT);
    assertThat(echo.data().length()).isEqualTo(size);
    assertThat(echo.data().toString(java.nio.charset.StandardCharsets.UTF_8).equals(text))
        .as("echo equals the %d-byte text sent", size).isTrue();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 125, 126, 65535, 65536, Payloads.MIB_16})
  void binaryMessageOfEverySizeIsEchoedUnchanged(int size) throws Exception {
    Buffer data = Buffer.buffer(Payloads.binary(size));
    ws.writeBinaryMessage(data).await(WAIT_SECONDS, TimeUnit.SECONDS);
    Frame echo = nextMessage();
    assertThat(echo.type()).isEqualTo(WebSocketFrameType.BINARY);
    assertThat(echo.data().length()).isEqualTo(size);
    assertThat(echo.data().equals(data)).as("echo equals the %d bytes sent", size).isTrue();
  }

  @Test
  void fragmentedTextMessageIsEchoedWithItsFragmentation() throws Exception {
    ws.writeFrame(WebSocketFrame.textFrame("frag", false));
    ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("men"), false));
    ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ted"), true)).await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(nextFrames(3)).containsExactly(
        new Frame(WebSocketFrameType.TEXT, false, Buffer.buffer("frag")),
        new Frame(WebSocketFrameType.CONTINUATION, false, Buffer.buffer("men")),
        new Frame(WebSocketFrameType.CONTINUATION, true, Buffer.buffer("ted")));
  }

  @Test
  void fragmentedBinaryMessageIsEchoedWithItsFragmentation() throws Exception {
    ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer("frag"), false));
    ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("mented"), true)).await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(nextFrames(2)).containsExactly(
        new Frame(WebSocketFrameType.BINARY, false, Buffer.buffer("frag")),
        new Frame(WebSocketFrameType.CONTINUATION, true, Buffer.buffer("mented")));
  }

  @Test
  void pingIsAnsweredWithPongCarryingSamePayload() throws Exception {
    ws.writePing(Buffer.buffer("p1")).await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(pongs.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("pong").isEqualTo(Buffer.buffer("p1"));
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1000, 4000})
  void closeIsAnsweredWithTheSameCode(int code) throws Exception {
    ws.close((short) code, "bye").await(WAIT_SECONDS, TimeUnit.SECONDS);
    closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(ws.closeStatusCode()).as("close code the server answered with").isEqualTo((short) code);
  }

  /** One data frame as received. */
  private record Frame(WebSocketFrameType type, boolean fin, Buffer data) {}

  private List<Frame> nextFrames(int n) throws InterruptedException {
    List<Frame> received = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Frame frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(frame).as("frame %d of %d within %d s", i + 1, n, WAIT_SECONDS).isNotNull();
      received.add(frame);
    }
    return received;
  }

  /** The next whole message, its fragments joined, as one final frame of the message's type. */
  private Frame nextMessage() throws InterruptedException {
    Frame first = nextFrames(1).get(0);
    Buffer data = first.data().copy();
    Frame last = first;
    while (!last.fin()) {
      last = nextFrames(1).get(0);
      assertThat(last.type()).isEqualTo(WebSocketFrameType.CONTINUATION);
      data.appendBuffer(last.data());
    }
    return new Frame(first.type(), true, data);
  }
}
