package io.braid.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.ws.deflate.DeflateParameters;
import io.vertx.core.buffer.Buffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The client's opening handshake (RFC 6455 §4.1): a request with every required field and a fresh
 * random key, and a validator that accepts exactly a correct 101 for that key.
 */
class ClientHandshakeTest {
  private static ClientHandshake client(String... subprotocols) {
    return new ClientHandshake("server.example.com:8080", "/chat", List.of(subprotocols), Map.of("Origin", "http://example.com"));
  }

  /** A response head for {@code client}, correct unless the lines given replace or add fields. */
  private static HttpResponseHead response(String statusLine, String... fields) {
    StringBuilder sb = new StringBuilder(statusLine).append("\r\n");
    for (String field : fields) {
      sb.append(field).append("\r\n");
    }
    return Request.parseResponse(Buffer.buffer(sb.append("\r\n").toString()));
  }

  private static String acceptFor(ClientHandshake client) {
    return "Sec-WebSocket-Accept: " + AcceptKey.compute(client.key());
  }

  private static void assertInvalid(ClientHandshake client, HttpResponseHead response, String reason) {
    assertThatThrownBy(() -> client.validate(response))
        .isInstanceOfSatisfying(HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  // The request

  @Test
  void requestCarriesEveryRequiredField() {
    ClientHandshake client = client("braid.v1", "braid.v1.json");
    HttpRequestHead request = Request.parseRequest(client.request().getBytes());

    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.target()).isEqualTo("/chat");
    assertThat(request.isAtLeastHttp11()).isTrue();
    HttpHeaders headers = request.headers();
    assertThat(headers.getAll("Host")).containsExactly("server.example.com:8080");
    assertThat(headers.get("Upgrade")).isEqualTo("websocket");
    assertThat(headers.get("Connection")).isEqualTo("Upgrade");
    assertThat(headers.getAll("Sec-WebSocket-Key")).containsExactly(client.key());
    assertThat(headers.get("Sec-WebSocket-Version")).isEqualTo("13");
    assertThat(headers.tokens("Sec-WebSocket-Protocol")).containsExactly("braid.v1", "braid.v1.json");
    assertThat(headers.get("Origin")).isEqualTo("http://example.com");
  }

  @Test
  void requestOffersNoSubprotocolWhenGivenNone() {
    HttpRequestHead request = Request.parseRequest(client().request().getBytes());
    assertThat(request.headers().getAll("Sec-WebSocket-Protocol")).isEmpty();
  }

  @Test
  void keyIsTheBase64OfSixteenBytes() {
    String key = client().key();
    assertThat(key).hasSize(24).endsWith("==");
    assertThat(Base64.getDecoder().decode(key)).hasSize(16);
  }

  @Test
  void keyIsFreshForEveryHandshake() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      keys.add(client().key());
    }
    assertThat(keys).hasSize(200);
  }

  @Test
  void serverAcceptsTheClientsRequest() {
    ClientHandshake client = client("braid.v1");
    ServerHandshake server = new ServerHandshake(List.of(new EndpointSpec("/chat", List.of("braid.v1"))),
        OriginPolicy.allowList(List.of("http://example.com")));

    HandshakeResult result = server.handle(Request.parseRequest(client.request().getBytes()));

    assertThat(result).isInstanceOf(HandshakeResult.Accepted.class);
    assertThat(client.validate(Request.parseResponse(result.response()))).isEqualTo("braid.v1");
  }

  // Validating the response

  @Test
  void acceptsACorrect101WithoutSubprotocol() {
    ClientHandshake client = client("braid.v1");
    HttpResponseHead ok = response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade", acceptFor(client));
    assertThat(client.validate(ok)).isNull();
  }

  @Test
  void acceptsACorrect101WithAnOfferedSubprotocol() {
    ClientHandshake client = client("braid.v1", "braid.v1.json");
    HttpResponseHead ok = response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        acceptFor(client), "Sec-WebSocket-Protocol: braid.v1.json");
    assertThat(client.validate(ok)).isEqualTo("braid.v1.json");
  }

  @Test
  void upgradeAndConnectionTokensAreCaseInsensitive() {
    ClientHandshake client = client();
    HttpResponseHead ok = response("HTTP/1.1 101 Switching Protocols", "Upgrade: WebSocket", "Connection: keep-alive, upgrade",
        acceptFor(client));
    assertThat(client.validate(ok)).isNull();
  }

  @Test
  void statusOtherThan101IsRefused() {
    ClientHandshake client = client();
    assertInvalid(client, response("HTTP/1.1 403 Forbidden", "Upgrade: websocket", "Connection: Upgrade", acceptFor(client)),
        "server answered 403 Forbidden");
    assertInvalid(client, response("HTTP/1.1 200 OK", "Upgrade: websocket", "Connection: Upgrade", acceptFor(client)),
        "server answered 200 OK");
  }

  @Test
  void wrongAcceptValueIsRefused() {
    ClientHandshake client = client();
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "Sec-WebSocket-Accept does not match the key");
  }

  @Test
  void missingAcceptIsRefused() {
    ClientHandshake client = client();
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade"),
        "Sec-WebSocket-Accept does not match the key");
  }

  @Test
  void missingUpgradeIsRefused() {
    ClientHandshake client = client();
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Connection: Upgrade", acceptFor(client)),
        "response Upgrade header must be 'websocket'");
  }

  @Test
  void upgradeToAnotherProtocolIsRefused() {
    ClientHandshake client = client();
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: h2c", "Connection: Upgrade", acceptFor(client)),
        "response Upgrade header must be 'websocket'");
  }

  @Test
  void missingConnectionIsRefused() {
    ClientHandshake client = client();
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", acceptFor(client)),
        "response Connection header must contain 'Upgrade'");
  }

  @Test
  void subprotocolThatWasNotOfferedIsRefused() {
    ClientHandshake client = client("braid.v1");
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        acceptFor(client), "Sec-WebSocket-Protocol: chat"), "server selected a subprotocol that was not offered: chat");
  }

  @Test
  void subprotocolWhenNoneWasOfferedIsRefused() {
    ClientHandshake client = client();
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        acceptFor(client), "Sec-WebSocket-Protocol: braid.v1"), "server selected a subprotocol that was not offered: braid.v1");
  }

  @Test
  void moreThanOneSubprotocolIsRefused() {
    ClientHandshake client = client("braid.v1", "braid.v1.json");
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        acceptFor(client), "Sec-WebSocket-Protocol: braid.v1, braid.v1.json"),
        "server selected a subprotocol that was not offered: braid.v1,braid.v1.json");
  }

  @Test
  void anyExtensionIsRefusedSinceNoneWasOffered() {
    ClientHandshake client = client();
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        acceptFor(client), "Sec-WebSocket-Extensions: permessage-deflate"),
        "server selected an extension that was not offered: permessage-deflate");
  }

  @Test
  void offersPermessageDeflateAsBrowsersDoAndTakesTheAgreement() {
    ClientHandshake client = new ClientHandshake("h:1", "/echo", List.of(), Map.of(), DeflateParameters.BROWSER_OFFER);
    assertThat(client.request().toString()).contains("\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
    client.validate(response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        acceptFor(client), "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10"));
    assertThat(client.compression().windowBits(io.braid.protocol.codec.Role.CLIENT)).isEqualTo(10);
  }

  @Test
  void rejectsAnAgreementThatBreaksTheOffer() {
    ClientHandshake client = new ClientHandshake("h:1", "/echo", List.of(), Map.of(), new DeflateParameters(true, false, 0, 0));
    assertInvalid(client, response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        acceptFor(client), "Sec-WebSocket-Extensions: permessage-deflate"),
        "Sec-WebSocket-Extensions: server_no_context_takeover was requested but not agreed");
  }
}
