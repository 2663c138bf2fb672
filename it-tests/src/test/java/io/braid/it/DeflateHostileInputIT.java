package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.ws.CloseCodes;
import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compressed input that attacks or breaks the rules, byte by byte on a raw socket: each is refused
 * with the right close code, and a fresh compressed client is served afterwards.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeflateHostileInputIT {
  private static final int MAX_MESSAGE = 1 << 20;

  private BraidServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.start(vertx, options -> options.maxFramePayload(MAX_MESSAGE).maxMessageSize(MAX_MESSAGE));
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  private RawClient openCompressed() {
    RawClient client = RawClient.connect(server.actualPort());
    String key = Handshakes.newKey();
    client.write(Handshakes.request(server.actualPort(), "/echo", key,
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"));
    HttpResponse response = client.readResponseHead();
    client.assertSwitchingProtocols(response, key);
    assertThat(response.header("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate; server_no_context_takeover");
    return client;
  }

  private static byte[] deflated(byte[] data) {
    Deflater deflater = new Deflater(9, true);
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[65536];
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.write(chunk, 0, n);
    } while (n == chunk.length);
    deflater.end();
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  private void assertClosedWith(RawClient client, int code) {
    ServerFrame close = client.readFrame();
    if (close.opcode() == ClientFrames.TEXT) {
      close = client.readFrame(); // the echo of a first fragment that was valid
    }
    assertThat(close.opcode()).as("%s", close).isEqualTo(ClientFrames.CLOSE);
    assertThat(close.closeCode()).isEqualTo(code);
    client.assertClosedByServer();
    assertFreshCompressedClientIsServed();
  }

  private void assertFreshCompressedClientIsServed() {
    try (RawClient fresh = openCompressed()) {
      byte[] hello = "Hello".getBytes(StandardCharsets.UTF_8);
      fresh.write(ClientFrames.masked(ClientFrames.FIN | ClientFrames.RSV1 | ClientFrames.TEXT, deflated(hello)));
      ServerFrame echo = fresh.readFrame();
      assertThat(echo.rsv()).as("below the minimum size: sent uncompressed").isZero();
      assertThat(echo.text()).isEqualTo("Hello");
      fresh.write(ClientFrames.masked(ClientFrames.FIN | ClientFrames.CLOSE, new byte[] {0x03, (byte) 0xE8}));
      assertThat(fresh.readFrame().closeCode()).isEqualTo(CloseCodes.NORMAL);
      fresh.assertClosedByServer();
    }
  }

  @Test
  void aDecompressionBombIsClosedWith1009() {
    try (RawClient client = openCompressed()) {
      byte[] bomb = deflated(new byte[64 * MAX_MESSAGE]);
      assertThat(bomb.length).isLessThan(MAX_MESSAGE);
      client.write(ClientFrames.masked(ClientFrames.FIN | ClientFrames.RSV1 | ClientFrames.BINARY, bomb));
      assertClosedWith(client, CloseCodes.MESSAGE_TOO_BIG);
    }
  }

  @Test
  void invalidCompressedDataIsClosedWith1007() {
    try (RawClient client = openCompressed()) {
      client.write(ClientFrames.masked(ClientFrames.FIN | ClientFrames.RSV1 | ClientFrames.BINARY,
          new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
      assertClosedWith(client, CloseCodes.INVALID_PAYLOAD);
    }
  }

  @Test
  void compressedTextThatInflatesToInvalidUtf8IsClosedWith1007() {
    try (RawClient client = openCompressed()) {
      client.write(ClientFrames.masked(ClientFrames.FIN | ClientFrames.RSV1 | ClientFrames.TEXT,
          deflated(new byte[] {'o', 'k', (byte) 0xC3, 0x28})));
      assertClosedWith(client, CloseCodes.INVALID_PAYLOAD);
    }
  }

  @Test
  void rsv1OnAContinuationFrameIsClosedWith1002() {
    try (RawClient client = openCompressed()) {
      client.write(ClientFrames.masked(ClientFrames.RSV1 | ClientFrames.TEXT, deflated("Hel".getBytes(StandardCharsets.UTF_8))));
      client.write(ClientFrames.masked(ClientFrames.FIN | ClientFrames.RSV1 | ClientFrames.CONTINUATION, new byte[] {0}));
      assertClosedWith(client, CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void rsv1OnAPingIsClosedWith1002() {
    try (RawClient client = openCompressed()) {
      client.write(ClientFrames.masked(ClientFrames.FIN | ClientFrames.RSV1 | ClientFrames.PING, new byte[0]));
      assertClosedWith(client, CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void anOfferTheServerCannotParseIsDeclinedNotRefused() {
    try (RawClient client = RawClient.connect(server.actualPort())) {
      String key = Handshakes.newKey();
      client.write(Handshakes.request(server.actualPort(), "/echo", key,
          "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=\"unterminated"));
      HttpResponse response = client.readResponseHead();
      client.assertSwitchingProtocols(response, key);
      assertThat(response.header("Sec-WebSocket-Extensions")).isNull();
      client.write(ClientFrames.masked(ClientFrames.FIN | ClientFrames.CLOSE, new byte[0]));
      client.readFrame();
      client.assertClosedByServer();
    }
  }
}
