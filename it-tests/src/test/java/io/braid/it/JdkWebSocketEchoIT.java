package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JDK's own {@link java.net.http.WebSocket} client against {@code /echo}. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkWebSocketEchoIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long WAIT_SECONDS = 30;

  private BraidServer server;
  private Recorder recorder;
  private WebSocket ws;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.startEcho(vertx);
    recorder = new Recorder();
    ws = HTTP.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + server.actualPort() + "/echo"), recorder)
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (ws != null) {
      ws.abort();
    }
    TestServers.stop(server);
  }

  @Test
  void textMessageIsEchoedUnchanged() throws Exception {
    ws.sendText("héllo wörld ✓ 😀", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(recorder.nextMessage()).isEqualTo("héllo wörld ✓ 😀");
  }

  @Test
  void binaryMessageIsEchoedUnchanged() throws Exception {
    ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xFF, 0x7F, (byte) 0x80}), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(recorder.nextMessage()).isEqualTo(new byte[] {0, 1, (byte) 0xFF, 0x7F, (byte) 0x80});
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 125, 126, 65535, 65536, Payloads.MIB_16})
  void textMessageOfEverySizeIsEchoedUnchanged(int size) throws Exception {
    String text = Payloads.text(size);
    ws.sendText(text, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    Object echo = recorder.nextMessage();
    assertThat(echo).isInstanceOf(String.class);
    assertThat(((String) echo).length()).isEqualTo(size);
    assertThat(echo.equals(text)).as("echo equals the %d-byte text sent", size).isTrue();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 125, 126, 65535, 65536, Payloads.MIB_16})
  void binaryMessageOfEverySizeIsEchoedUnchanged(int size) throws Exception {
    byte[] data = Payloads.binary(size);
    ws.sendBinary(ByteBuffer.wrap(data), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    Object echo = recorder.nextMessage();
    assertThat(echo).isInstanceOf(byte[].class);
    assertThat(((byte[]) echo).length).isEqualTo(size);
    assertThat(java.util.Arrays.equals((byte[]) echo, data)).as("echo equals the %d bytes sent", size).isTrue();
  }

  @Test
  void fragmentedTextMessageIsEchoedWhole() throws Exception {
    ws.sendText("frag", false).get(WAIT_SECONDS, TimeUnit.SECONDS);
    ws.sendText("mented", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(recorder.nextMessage()).isEqualTo("fragmented");
  }

  @Test
  void fragmentedBinaryMessageIsEchoedWhole() throws Exception {
    ws.sendBinary(ByteBuffer.wrap("frag".getBytes(StandardCharsets.UTF_8)), false).get(WAIT_SECONDS, TimeUnit.SECONDS);
    ws.sendBinary(ByteBuffer.wrap("mented".getBytes(StandardCharsets.UTF_8)), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(recorder.nextMessage()).isEqualTo("fragmented".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void pingIsAnsweredWithPongCarryingSamePayload() throws Exception {
    ws.sendPing(ByteBuffer.wrap("p1".getBytes(StandardCharsets.UTF_8))).get(WAIT_SECONDS, TimeUnit.SECONDS);
    byte[] pong = recorder.pongs.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(pong).as("pong").isEqualTo("p1".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1000, 4000})
  void closeIsAnsweredWithTheSameCode(int code) throws Exception {
    ws.sendClose(code, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
    Close close = recorder.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(close.code()).isEqualTo(code);
    assertThat(ws.isInputClosed()).isTrue();
    assertThat(ws.isOutputClosed()).isTrue();
  }

  private record Close(int code, String reason) {}

  /** Collects whole messages (a String or a byte[] each), pongs and the close. */
  private static final class Recorder implements WebSocket.Listener {
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    final CompletableFuture<Close> closed = new CompletableFuture<>();
    // The JDK calls a listener's methods one at a time, in order.
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    Object nextMessage() throws InterruptedException {
      Object message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(message).as("echo within %d s", WAIT_SECONDS).isNotNull();
      return message;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        messages.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] part = new byte[data.remaining()];
      data.get(part);
      binary.writeBytes(part);
      if (last) {
        messages.add(binary.toByteArray());
        binary.reset();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      byte[] payload = new byte[message.remaining()];
      message.get(payload);
      pongs.add(payload);
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(new Close(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
