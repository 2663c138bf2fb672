package io.braid.it;

import static io.braid.it.ClientFrames.BINARY;
import static io.braid.it.ClientFrames.CLOSE;
import static io.braid.it.ClientFrames.CONTINUATION;
import static io.braid.it.ClientFrames.FIN;
import static io.braid.it.ClientFrames.PING;
import static io.braid.it.ClientFrames.PONG;
import static io.braid.it.ClientFrames.RSV1;
import static io.braid.it.ClientFrames.TEXT;
import static io.braid.it.ClientFrames.concat;
import static io.braid.it.ClientFrames.masked;
import static io.braid.it.ClientFrames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.websocket.BraidServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames after a valid handshake, byte for byte over a raw socket (RFC 6455 §5-7). Each violation
 * must fail the connection (§7.1.7): one unmasked close frame with the code and a reason naming the
 * broken rule, then the server closes TCP; a fresh client is still served.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MalformedFrameIT {
  private static final int MAX_FRAME_PAYLOAD = 1024;
  private static final int MAX_MESSAGE_SIZE = 2048;

  private BraidServer server;
  private int port;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = TestServers.start(vertx, o -> o.maxFramePayload(MAX_FRAME_PAYLOAD).maxMessageSize(MAX_MESSAGE_SIZE));
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    TestServers.stop(server);
  }

  @Test
  void clientFramesMustBeMasked() {
    assertFailsConnection(ClientFrames.unmasked(FIN | TEXT, utf8("hello")),
        1002, "client frames must be masked");
  }

  @Test
  void rsvBitsMustBeZeroWithoutNegotiatedExtension() {
    assertFailsConnection(masked(FIN | RSV1 | TEXT, utf8("hi")),
        1002, "RSV bits must be 0 without a negotiated extension");
  }

  @Test
  void reservedDataOpcodeIsProtocolError() {
    assertFailsConnection(masked(FIN | 0x3, utf8("x")), 1002, "reserved opcode 0x3");
  }

  @Test
  void reservedControlOpcodeIsProtocolError() {
    assertFailsConnection(masked(FIN | 0xB, utf8("x")), 1002, "reserved opcode 0xb");
  }

  @Test
  void controlFramePayloadMustBeAtMost125Bytes() {
    assertFailsConnection(masked(FIN | PING, new byte[126]),
        1002, "control frame payload must be at most 125 bytes");
  }

  @Test
  void controlFramesMustNotBeFragmented() {
    assertFailsConnection(masked(PING, utf8("p")), 1002, "control frames must not be fragmented");
  }

  @Test
  void continuationWithoutMessageIsProtocolError() {
    assertFailsConnection(masked(FIN | CONTINUATION, utf8("x")),
        1002, "continuation frame without a message to continue");
  }

  @Test
  void newDataFrameInsideFragmentedMessageIsProtocolError() {
    assertFailsConnection(concat(masked(TEXT, utf8("a")), masked(FIN | TEXT, utf8("b"))),
        1002, "new data frame inside a fragmented message", frame(false, TEXT, "a"));
  }

  @Test
  void textMustBeValidUtf8() {
    assertFailsConnection(masked(FIN | TEXT, new byte[] {'o', 'k', (byte) 0xC3, 0x28}),
        1007, "text message is not valid UTF-8");
  }

  @Test
  void invalidUtf8FailsAtOnceInsideAnUnfinishedFragment() {
    // The first fragment is valid (its echo comes back); the second holds 0xFF, which can never
    // appear in UTF-8, and the message is never finished: the server must not wait for its end.
    assertFailsConnection(concat(masked(TEXT, utf8("ok")), masked(CONTINUATION, new byte[] {'a', (byte) 0xFF})),
        1007, "text message is not valid UTF-8", frame(false, TEXT, "ok"));
  }

  @Test
  void textMessageMustNotEndInsideACodePoint() {
    // U+1F600 is F0 9F 98 80: the final fragment stops after its first two bytes.
    assertFailsConnection(masked(FIN | TEXT, new byte[] {(byte) 0xF0, (byte) 0x9F}),
        1007, "text message ends inside a UTF-8 sequence");
  }

  @Test
  void closePayloadOfOneByteIsProtocolError() {
    assertFailsConnection(masked(FIN | CLOSE, new byte[] {0x03}),
        1002, "close frame payload must be empty or at least 2 bytes");
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
  void closeCodeNotAllowedOnTheWireIsProtocolError(int code) {
    assertFailsConnection(masked(FIN | CLOSE, ClientFrames.closePayload(code, new byte[0])),
        1002, "invalid close code " + code);
  }

  @Test
  void closeReasonMustBeValidUtf8() {
    assertFailsConnection(masked(FIN | CLOSE, ClientFrames.closePayload(1000, new byte[] {(byte) 0xC0, (byte) 0x80})),
        1002, "close reason is not valid UTF-8");
  }

  @Test
  void framePayloadOverMaxFramePayloadIsTooBig() {
    // Only the header: the server must refuse from the announced length, before any payload.
    assertFailsConnection(ClientFrames.header(FIN | BINARY, MAX_FRAME_PAYLOAD + 1),
        1009, "frame payload of 1025 bytes exceeds the limit of 1024");
  }

  @Test
  void messageOverMaxMessageSizeAcrossFragmentsIsTooBig() {
    byte[] fragment = new byte[1000];
    assertFailsConnection(concat(masked(BINARY, fragment), masked(CONTINUATION, fragment),
            ClientFrames.header(FIN | CONTINUATION, 100)),
        1009, "message of at least 2100 bytes exceeds the limit of 2048",
        frame(false, BINARY, fragment), frame(false, CONTINUATION, fragment));
  }

  @Test
  void sixtyFourBitLengthMustHaveMostSignificantBitClear() {
    assertFailsConnection(ClientFrames.header64(FIN | BINARY, 0x8000_0000_0000_0001L),
        1002, "64-bit payload length must have its most significant bit clear");
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999})
  void closeFrameIsAnsweredWithSameCodeAndServerClosesTcp(int code) {
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(ClientFrames.close(code, "bye"));
      ServerFrame close = client.readFrame();
      assertUnmaskedFinal(close, CLOSE);
      assertThat(close.payload()).as("close frame payload: code %d", code).containsExactly(code >>> 8, code & 0xFF);
      client.assertClosedByServer();
    }
    EchoProbe.assertServesFreshClient(port);
  }

  @Test
  void emptyCloseFrameIsAnsweredWithEmptyClose() {
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(masked(FIN | CLOSE, new byte[0]));
      ServerFrame close = client.readFrame();
      assertUnmaskedFinal(close, CLOSE);
      assertThat(close.payload()).as("no status code echoed for a close without one").isEmpty();
      client.assertClosedByServer();
    }
  }

  @Test
  void pingIsAnsweredWithPongCarryingSamePayload() {
    byte[] payload = new byte[125];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 7);
    }
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(ClientFrames.ping(payload));
      ServerFrame pong = client.readFrame();
      assertUnmaskedFinal(pong, PONG);
      assertThat(pong.payload()).isEqualTo(payload);
    }
  }

  @Test
  void pingBetweenFragmentsIsAnsweredAndFragmentsAreEchoedInOrder() {
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(concat(masked(TEXT, utf8("frag")), ClientFrames.ping(utf8("p")), masked(FIN | CONTINUATION, utf8("mented"))));
      assertFrame(client.readFrame(), frame(false, TEXT, "frag"));
      assertFrame(client.readFrame(), frame(true, PONG, "p"));
      assertFrame(client.readFrame(), frame(true, CONTINUATION, "mented"));
    }
  }

  @Test
  void malformedFrameInTheSameWriteAsTheHeadFailsTheConnectionAfter101() {
    String key = Handshakes.newKey();
    try (RawClient client = RawClient.connect(port)) {
      client.write(concat(Handshakes.request(port, "/echo", key).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
          ClientFrames.text("first"), ClientFrames.unmasked(FIN | TEXT, utf8("second"))));
      client.assertSwitchingProtocols(client.readResponseHead(), key);
      assertFrame(client.readFrame(), frame(true, TEXT, "first"));
      ServerFrame close = client.readFrame();
      assertUnmaskedFinal(close, CLOSE);
      assertThat(close.closeCode()).isEqualTo(1002);
      assertThat(close.closeReason()).isEqualTo("client frames must be masked");
      client.assertClosedByServer();
    }
    EchoProbe.assertServesFreshClient(port);
  }

  @ParameterizedTest(name = "{0}-byte length field")
  @ValueSource(ints = {2, 8})
  void lengthNeedNotBeMinimallyEncoded(int lengthBytes) {
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(ClientFrames.maskedWithLengthForm(FIN | TEXT, utf8("hello"), lengthBytes));
      assertFrame(client.readFrame(), frame(true, TEXT, "hello"));
    }
  }

  @Test
  void codePointSplitAcrossFragmentsIsValid() {
    // U+1F600 is F0 9F 98 80: two bytes in each fragment.
    byte[] emoji = utf8("\uD83D\uDE00");
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(concat(masked(TEXT, new byte[] {'a', emoji[0], emoji[1]}), masked(FIN | CONTINUATION, new byte[] {emoji[2], emoji[3], 'b'})));
      assertFrame(client.readFrame(), frame(false, TEXT, new byte[] {'a', emoji[0], emoji[1]}));
      assertFrame(client.readFrame(), frame(true, CONTINUATION, new byte[] {emoji[2], emoji[3], 'b'}));
      client.write(ClientFrames.text("next"));
      assertFrame(client.readFrame(), frame(true, TEXT, "next"));
    }
  }

  @Test
  void pingInsideFragmentedTextDoesNotDisturbUtf8Validation() {
    // The ping arrives while the text message is in the middle of U+1F600 (F0 9F | 98 80).
    byte[] first = {'a', (byte) 0xF0, (byte) 0x9F};
    byte[] last = {(byte) 0x98, (byte) 0x80, 'b'};
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(concat(masked(TEXT, first), ClientFrames.ping(new byte[] {(byte) 0xFF}), masked(FIN | CONTINUATION, last)));
      assertFrame(client.readFrame(), frame(false, TEXT, first));
      assertFrame(client.readFrame(), frame(true, PONG, new byte[] {(byte) 0xFF}));
      assertFrame(client.readFrame(), frame(true, CONTINUATION, last));
    }
  }

  @Test
  void unsolicitedPongIsIgnored() {
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(concat(ClientFrames.pong(utf8("unsolicited")), ClientFrames.text("after pong")));
      assertFrame(client.readFrame(), frame(true, TEXT, "after pong"));
    }
  }

  @Test
  void frameArrivingOneByteAtATimeIsEchoed() {
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.writeOneByteAtATime(ClientFrames.text("byte by byte"));
      assertFrame(client.readFrame(), frame(true, TEXT, "byte by byte"));
    }
  }

  @Test
  void closeFrameSurvivesBytesTheClientSendsAfterTheError() {
    // Autobahn 4.2.5 failed once this way: the client's bytes still arriving at a socket the server
    // had closed drew a reset, and the reset destroyed the unread close frame on the client's side.
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(masked(FIN | 0xF, utf8("x")));
      client.awaitUnreadBytes();
      client.writeOneByteAtATime(ClientFrames.ping(utf8("still sending")));
      ServerFrame close = client.readFrame();
      assertUnmaskedFinal(close, CLOSE);
      assertThat(close.closeCode()).isEqualTo(1002);
      assertThat(close.closeReason()).isEqualTo("reserved opcode 0xf");
      client.assertClosedByServer();
    }
    EchoProbe.assertServesFreshClient(port);
  }

  /** An expected server frame. */
  private record Expected(boolean fin, int opcode, byte[] payload) {}

  private static Expected frame(boolean fin, int opcode, String payload) {
    return new Expected(fin, opcode, utf8(payload));
  }

  private static Expected frame(boolean fin, int opcode, byte[] payload) {
    return new Expected(fin, opcode, payload);
  }

  /**
   * Sends {@code bytes} in one write and asserts the server's answer: first the {@code echoes}, then
   * exactly one close frame {@code 0x88, length, code, reason}, then the end of the TCP stream. Then
   * a fresh client must still get its echo.
   */
  private void assertFailsConnection(byte[] bytes, int closeCode, String reason, Expected... echoes) {
    try (RawClient client = RawClient.open(port, "/echo")) {
      client.write(bytes);
      for (Expected echo : echoes) {
        assertFrame(client.readFrame(), echo);
      }
      ServerFrame close = client.readFrame();
      assertUnmaskedFinal(close, CLOSE);
      assertThat(close.closeCode()).as("close code in %s", close).isEqualTo(closeCode);
      assertThat(close.closeReason()).as("close reason in %s", close).isEqualTo(reason);
      assertThat(close.payload()).hasSize(2 + utf8(reason).length);
      client.assertClosedByServer();
    }
    EchoProbe.assertServesFreshClient(port);
  }

  private static void assertFrame(ServerFrame actual, Expected expected) {
    assertThat(actual.opcode()).as("opcode of %s", actual).isEqualTo(expected.opcode());
    assertThat(actual.fin()).as("FIN of %s", actual).isEqualTo(expected.fin());
    assertThat(actual.rsv()).as("RSV of %s", actual).isZero();
    assertThat(actual.masked()).as("server frames are never masked").isFalse();
    assertThat(actual.payload()).isEqualTo(expected.payload());
  }

  private static void assertUnmaskedFinal(ServerFrame frame, int opcode) {
    assertThat(frame.opcode()).as("opcode of %s", frame).isEqualTo(opcode);
    assertThat(frame.fin()).as("FIN of %s", frame).isTrue();
    assertThat(frame.rsv()).as("RSV of %s", frame).isZero();
    assertThat(frame.masked()).as("server frames are never masked").isFalse();
  }
}
