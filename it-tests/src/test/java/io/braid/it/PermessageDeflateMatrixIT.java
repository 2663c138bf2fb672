package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.client.WsClient;
import io.braid.client.WsClientConnection;
import io.braid.client.WsClientOptions;
import io.braid.protocol.ws.CloseCodes;
import io.braid.protocol.ws.Opcode;
import io.braid.protocol.ws.deflate.DeflateConfig;
import io.braid.protocol.ws.deflate.DeflateParameters;
import io.braid.protocol.ws.deflate.ExtensionOffer;
import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Autobahn|Testsuite's permessage-deflate cases, mirrored here because the suite on Maven Central
 * has cases 1-10 only. 12.x: five payload corpora x 18 size/fragmentation mixes with the default
 * offer; 13.x: one corpus x the same 18 mixes x 7 parameter sets. Each case sends its messages to
 * {@code /echo} compressed and expects each back unchanged, then closes with 1000.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PermessageDeflateMatrixIT {
  /** Autobahn sends 1,000 messages a case; a few exercise the same paths in far less time. */
  private static final int MESSAGES_PER_CASE = 12;
  private static final int[] SIZES = {16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072};

  private static Vertx vertx;
  private static BraidServer server;

  /** The size/fragmentation mixes of a 12.x or 13.x group: every size whole, then 256-byte fragments. */
  record Mix(int size, int fragment) {
    @Override
    public String toString() {
      return size + (fragment == 0 ? " bytes" : " bytes in " + fragment + "-byte fragments");
    }
  }

  static List<Mix> mixes() {
    List<Mix> mixes = new ArrayList<>();
    for (int size : SIZES) {
      mixes.add(new Mix(size, 0));
    }
    for (int size : Arrays.copyOfRange(SIZES, 2, SIZES.length)) {
      mixes.add(new Mix(size, 256));
    }
    return mixes;
  }

  static Stream<Arguments> case12() {
    return Stream.of(DeflateCorpora.values())
        .flatMap(corpus -> mixes().stream().map(mix -> Arguments.of(corpus, mix)));
  }

  /** 13.1-13.7: what the client asks of the server's compressor (no context takeover, window bits). */
  static Stream<Arguments> case13() {
    List<String> offers = List.of(
        "permessage-deflate",
        "permessage-deflate; server_no_context_takeover",
        "permessage-deflate; server_max_window_bits=9",
        "permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
        "permessage-deflate; server_no_context_takeover; server_max_window_bits=15",
        "permessage-deflate; server_no_context_takeover; server_max_window_bits=9, "
            + "permessage-deflate; server_no_context_takeover, permessage-deflate");
    return offers.stream().flatMap(offer -> mixes().stream().map(mix -> Arguments.of(offer, mix)));
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = TestServers.start(vertx, options -> options.maxFramePayload(1 << 20).maxMessageSize(1 << 20));
  }

  @AfterAll
  static void stop() throws Exception {
    TestServers.stop(server);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "12.x {0}, {1}")
  @MethodSource("case12")
  void corpusEchoesUnderTheDefaultOffer(DeflateCorpora corpus, Mix mix) throws Exception {
    echo(DeflateParameters.BROWSER_OFFER.headerValue(), corpus, mix);
  }

  @ParameterizedTest(name = "13.x {0}, {1}")
  @MethodSource("case13")
  void corpusEchoesUnderEachParameterSet(String offer, Mix mix) throws Exception {
    echo(offer, DeflateCorpora.JSON, mix);
  }

  private static void echo(String offerHeader, DeflateCorpora corpus, Mix mix) throws Exception {
    String first = offerHeader.split(",")[0];
    DeflateParameters offer = DeflateParameters.of(ExtensionOffer.parseAll(List.of(first)).get(0));
    WsClientOptions options = new WsClientOptions().permessageDeflate(offer, new DeflateConfig(6, 0, true));
    if (!first.equals(offerHeader)) {
      options.header("Sec-WebSocket-Extensions", offerHeader.substring(first.length() + 1).trim());
    }
    WsClient client = WsClient.create(vertx, options);
    try {
      WsClientConnection ws = client.connect(server.actualPort(), TestServers.HOST, "/echo").await(10, TimeUnit.SECONDS);
      assertThat(ws.compression()).as("negotiated").isNotNull();
      LinkedBlockingQueue<byte[]> echoes = new LinkedBlockingQueue<>();
      ws.textHandler(text -> echoes.add(text.getBytes(StandardCharsets.UTF_8)));
      ws.binaryHandler(data -> echoes.add(data.getBytes()));
      byte[] message = corpus.cut(mix.size());
      for (int i = 0; i < MESSAGES_PER_CASE; i++) {
        send(ws, corpus.text ? Opcode.TEXT : Opcode.BINARY, message, mix.fragment());
      }
      for (int i = 0; i < MESSAGES_PER_CASE; i++) {
        byte[] echo = echoes.poll(30, TimeUnit.SECONDS);
        assertThat(echo).as("echo %d of %d", i + 1, MESSAGES_PER_CASE).isEqualTo(message);
      }
      assertThat(ws.close(CloseCodes.NORMAL, "").await(10, TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.NORMAL);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void send(WsClientConnection ws, int opcode, byte[] message, int fragment) {
    if (fragment == 0) {
      ws.sendFrame(opcode, true, Buffer.buffer(message));
      return;
    }
    for (int at = 0; at < message.length; at += fragment) {
      int end = Math.min(message.length, at + fragment);
      ws.sendFrame(at == 0 ? opcode : Opcode.CONTINUATION, end == message.length,
          Buffer.buffer(Arrays.copyOfRange(message, at, end)));
    }
  }
}
