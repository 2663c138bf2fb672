package io.braid.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.protocol.ws.deflate.DeflateConfig;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's opening handshake (RFC 6455 §4.2): the RFC's sample request is accepted with the
 * RFC's sample response, each broken rule is refused with its own status and reason, and every
 * refusal is a complete HTTP response after which the connection closes.
 */
class ServerHandshakeTest {
  private static final String RFC_SAMPLE_RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
      + "Upgrade: websocket\r\n"
      + "Connection: Upgrade\r\n"
      + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
      + "Sec-WebSocket-Protocol: chat\r\n"
      + "\r\n";

  private static ServerHandshake server(String... subprotocols) {
    return new ServerHandshake(List.of(new EndpointSpec("/chat", List.of(subprotocols))),
        OriginPolicy.allowList(List.of("http://example.com")));
  }

  private static HandshakeResult handle(Request request) {
    return server("chat").handle(request.parse());
  }

  private static HandshakeResult.Accepted assertAccepted(HandshakeResult result) {
    assertThat(result).isInstanceOf(HandshakeResult.Accepted.class);
    return (HandshakeResult.Accepted) result;
  }

  /**
   * Asserts a refusal with {@code status} and {@code reason}, sent as a complete response: status
   * line, Content-Length that matches the body, Connection: close, and the reason as the body.
   */
  static void assertRejected(HandshakeResult result, int status, String reason) {
    assertThat(result).isInstanceOf(HandshakeResult.Rejected.class);
    HandshakeResult.Rejected rejected = (HandshakeResult.Rejected) result;
    assertThat(rejected.status()).isEqualTo(status);
    assertThat(rejected.reason()).isEqualTo(reason);
    assertCompleteRefusal(rejected.response(), status, reason);
  }

  static void assertCompleteRefusal(Buffer response, int status, String reason) {
    HttpHeadParser parser = HttpHeadParser.forResponse(HttpHeadParser.DEFAULT_MAX_HEAD_SIZE, HttpHeadParser.DEFAULT_MAX_HEADER_COUNT);
    int bodyStart = parser.parse(response);
    assertThat(bodyStart).as("a complete head").isPositive();
    HttpResponseHead head = parser.responseHead();
    assertThat(head.status()).isEqualTo(status);
    assertThat(head.reasonPhrase()).isEqualTo(HttpStatus.reasonPhrase(status));
    assertThat(head.majorVersion() * 10 + head.minorVersion()).isEqualTo(11);
    assertThat(head.headers().get("Connection")).isEqualTo("close");
    String body = response.getString(bodyStart, response.length(), "UTF-8");
    assertThat(Integer.parseInt(head.headers().get("Content-Length")))
        .isEqualTo(response.length() - bodyStart)
        .isEqualTo((reason + "\n").getBytes(StandardCharsets.UTF_8).length);
    assertThat(body).isEqualTo(reason + "\n");
  }

  // Accepting: RFC 6455 §1.3, §4.2.2

  @Test
  void acceptsTheRfcSampleRequestWithTheRfcSampleResponse() {
    HandshakeResult.Accepted accepted = assertAccepted(handle(Request.rfcSample()));
    assertThat(accepted.endpoint().path()).isEqualTo("/chat");
    assertThat(accepted.subprotocol()).isEqualTo("chat");
    assertThat(accepted.request().headers().get("Host")).isEqualTo("server.example.com");
    assertThat(accepted.response().toString(StandardCharsets.ISO_8859_1)).isEqualTo(RFC_SAMPLE_RESPONSE);
  }

  @Test
  void selectsTheFirstOfferedSubprotocolTheEndpointSpeaksNotTheServersFavourite() {
    // The client offers "chat, superchat"; the server prefers superchat but the client's order wins.
    assertThat(assertAccepted(server("superchat", "chat").handle(Request.rfcSample().parse())).subprotocol())
        .isEqualTo("chat");
  }

  @Test
  void skipsOfferedSubprotocolsTheEndpointDoesNotSpeak() {
    assertThat(assertAccepted(server("superchat").handle(Request.rfcSample().parse())).subprotocol())
        .isEqualTo("superchat");
  }

  @Test
  void selectsAmongBraidSubprotocolsInTheClientsOrder() {
    Request request = Request.rfcSample().with("Sec-WebSocket-Protocol", "braid.v1.json, braid.v1");
    HandshakeResult.Accepted accepted = assertAccepted(server("braid.v1", "braid.v1.json").handle(request.parse()));
    assertThat(accepted.subprotocol()).isEqualTo("braid.v1.json");
    assertThat(accepted.response().toString(StandardCharsets.ISO_8859_1))
        .contains("\r\nSec-WebSocket-Protocol: braid.v1.json\r\n");
  }

  @Test
  void subprotocolOffersMaySpanSeveralHeaderLines() {
    Request request = Request.rfcSample().with("Sec-WebSocket-Protocol", "x.v1").plusLine("Sec-WebSocket-Protocol: braid.v1");
    assertThat(assertAccepted(server("braid.v1").handle(request.parse())).subprotocol()).isEqualTo("braid.v1");
  }

  @Test
  void noCommonSubprotocolMeansNoneAndNoProtocolHeader() {
    HandshakeResult.Accepted accepted = assertAccepted(server("braid.v1").handle(Request.rfcSample().parse()));
    assertThat(accepted.subprotocol()).isNull();
    assertThat(accepted.response().toString(StandardCharsets.ISO_8859_1)).doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
  }

  @Test
  void noSubprotocolOfferedMeansNone() {
    Request request = Request.rfcSample().without("Sec-WebSocket-Protocol");
    HandshakeResult.Accepted accepted = assertAccepted(server("chat").handle(request.parse()));
    assertThat(accepted.subprotocol()).isNull();
    assertThat(accepted.response().toString(StandardCharsets.ISO_8859_1)).doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
  }

  @Test
  void upgradeTokenIsCaseInsensitive() {
    assertAccepted(handle(Request.rfcSample().with("Upgrade", "WebSocket")));
  }

  @Test
  void connectionTokenIsCaseInsensitive() {
    assertAccepted(handle(Request.rfcSample().with("Connection", "upgrade")));
  }

  @Test
  void connectionMayListSeveralTokens() {
    assertAccepted(handle(Request.rfcSample().with("Connection", "keep-alive, Upgrade")));
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    Request request = Request.rfcSample()
        .without("Upgrade").plusLine("upgrade: websocket")
        .without("Sec-WebSocket-Key").plusLine("SEC-WEBSOCKET-KEY: dGhlIHNhbXBsZSBub25jZQ==");
    assertAccepted(handle(request));
  }

  @Test
  void queryStringIsNotPartOfThePath() {
    assertAccepted(handle(Request.rfcSample().requestLine("GET /chat?room=1 HTTP/1.1")));
  }

  // Refusing with 400: RFC 6455 §4.2.1

  @ParameterizedTest
  @ValueSource(strings = {"POST", "HEAD", "get"})
  void methodMustBeGet(String method) {
    assertRejected(handle(Request.rfcSample().requestLine(method + " /chat HTTP/1.1")), 400, "method must be GET");
  }

  @Test
  void http10IsRefused() {
    assertRejected(handle(Request.rfcSample().requestLine("GET /chat HTTP/1.0")), 400, "HTTP/1.1 or later is required");
  }

  @Test
  void hostIsRequired() {
    assertRejected(handle(Request.rfcSample().without("Host")), 400, "exactly one Host header is required");
  }

  @Test
  void twoHostHeadersAreRefused() {
    assertRejected(handle(Request.rfcSample().plusLine("Host: other.example.com")), 400, "exactly one Host header is required");
  }

  @Test
  void upgradeIsRequired() {
    assertRejected(handle(Request.rfcSample().without("Upgrade")), 400, "Upgrade header must contain 'websocket'");
  }

  @Test
  void upgradeMustContainWebsocket() {
    assertRejected(handle(Request.rfcSample().with("Upgrade", "h2c")), 400, "Upgrade header must contain 'websocket'");
  }

  @Test
  void connectionIsRequired() {
    assertRejected(handle(Request.rfcSample().without("Connection")), 400, "Connection header must contain 'Upgrade'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"keep-alive", "close", "Upgraded", "keep-alive Upgrade"})
  void connectionMustContainTheUpgradeToken(String connection) {
    assertRejected(handle(Request.rfcSample().with("Connection", connection)), 400, "Connection header must contain 'Upgrade'");
  }

  @Test
  void keyIsRequired() {
    assertRejected(handle(Request.rfcSample().without("Sec-WebSocket-Key")), 400,
        "exactly one Sec-WebSocket-Key header is required");
  }

  @Test
  void twoKeysAreRefused() {
    assertRejected(handle(Request.rfcSample().plusLine("Sec-WebSocket-Key: AAECAwQFBgcICQoLDA0ODw==")), 400,
        "exactly one Sec-WebSocket-Key header is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not base64 at all", "dGhlIHNhbXBsZSBub25jZQ=!", "****************************"})
  void keyMustBeBase64(String key) {
    assertRejected(handle(Request.rfcSample().with("Sec-WebSocket-Key", key)), 400, "Sec-WebSocket-Key is not base64");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "AAECAwQFBgcICQoLDA0O", // 15 bytes
    "AAECAwQFBgcICQoLDA0ODxA=", // 17 bytes
    "AAAAAAAAAAAAAAAAAAAAAAAA", // 18 bytes
    "", // 0 bytes
  })
  void keyMustDecodeToExactly16Bytes(String key) {
    assertRejected(handle(Request.rfcSample().with("Sec-WebSocket-Key", key)), 400, "Sec-WebSocket-Key must be 16 bytes in base64");
  }

  /** RFC 6455 §4.1 {@code base64-value-non-empty}: groups of four characters, so a 16-byte key ends in "==". */
  @Test
  void keyMustCarryItsBase64Padding() {
    assertRejected(handle(Request.rfcSample().with("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ")), 400,
        "Sec-WebSocket-Key must be 16 bytes in base64");
  }

  // Refusing with 426, 404, 403

  @ParameterizedTest
  @ValueSource(strings = {"12", "8", "14", "13, 8", "thirteen"})
  void versionOtherThan13IsRefusedWith426NamingVersion13(String version) {
    HandshakeResult result = handle(Request.rfcSample().with("Sec-WebSocket-Version", version));
    assertRejected(result, 426, "Sec-WebSocket-Version must be 13");
    assertThat(Request.parseResponse(result.response()).headers().getAll("Sec-WebSocket-Version")).containsExactly("13");
  }

  @Test
  void missingVersionIsRefusedWith426NamingVersion13() {
    HandshakeResult result = handle(Request.rfcSample().without("Sec-WebSocket-Version"));
    assertRejected(result, 426, "Sec-WebSocket-Version must be 13");
    assertThat(Request.parseResponse(result.response()).headers().getAll("Sec-WebSocket-Version")).containsExactly("13");
  }

  @Test
  void unknownPathIsRefusedWith404() {
    assertRejected(handle(Request.rfcSample().requestLine("GET /nope HTTP/1.1")), 404, "no WebSocket endpoint at /nope");
  }

  @Test
  void originNotInTheAllowListIsRefusedWith403() {
    assertRejected(handle(Request.rfcSample().with("Origin", "http://evil.example")), 403, "origin not allowed");
  }

  @Test
  void absentOriginIsAllowed() {
    assertAccepted(handle(Request.rfcSample().without("Origin")));
  }

  @Test
  void originIsComparedIgnoringCase() {
    assertAccepted(handle(Request.rfcSample().with("Origin", "HTTP://Example.COM")));
  }

  @Test
  void anyOriginPolicyAllowsEveryOrigin() {
    ServerHandshake server = new ServerHandshake(List.of(new EndpointSpec("/chat", List.of())), OriginPolicy.any());
    assertAccepted(server.handle(Request.rfcSample().with("Origin", "http://evil.example").parse()));
  }

  @Test
  void onlyThe426RefusalNamesAVersion() {
    HandshakeResult result = handle(Request.rfcSample().with("Upgrade", "h2c"));
    assertThat(Request.parseResponse(result.response()).headers().get("Sec-WebSocket-Version")).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 403, 404, 426, 431, 503})
  void everyRefusalIsACompleteResponse(int status) {
    HandshakeResult.Rejected rejected = ServerHandshake.reject(status, "some reason, with ünïcode");
    assertCompleteRefusal(rejected.response(), status, "some reason, with ünïcode");
  }

  private static ServerHandshake compressingServer(DeflateConfig config) {
    return new ServerHandshake(List.of(new EndpointSpec("/chat", List.of("chat"))), OriginPolicy.any(), config);
  }

  @Test
  void acceptsPermessageDeflateAndNamesItInThe101() {
    HandshakeResult.Accepted accepted = assertAccepted(compressingServer(DeflateConfig.DEFAULT).handle(
        Request.rfcSample().with("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits").parse()));
    assertThat(accepted.compression().serverNoContextTakeover()).isTrue();
    assertThat(accepted.response().toString()).contains(
        "\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n");
  }

  @Test
  void aServerWithoutCompressionDeclinesTheOffer() {
    HandshakeResult.Accepted accepted = assertAccepted(compressingServer(null).handle(
        Request.rfcSample().with("Sec-WebSocket-Extensions", "permessage-deflate").parse()));
    assertThat(accepted.compression()).isNull();
    assertThat(accepted.response().toString()).doesNotContain("Sec-WebSocket-Extensions");
  }

  @Test
  void anExtensionsHeaderThatDoesNotParseIsDeclinedNotRefused() {
    HandshakeResult.Accepted accepted = assertAccepted(compressingServer(DeflateConfig.DEFAULT).handle(
        Request.rfcSample().with("Sec-WebSocket-Extensions", "permessage-deflate; x=\"open").parse()));
    assertThat(accepted.compression()).isNull();
  }
}
