package io.braid.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.braid.protocol.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental HTTP/1.1 head parser (RFC 9112 §2-§5): any cut of the input into reads gives the
 * same head and the same end index; past the limits it fails with 431 as soon as the limit is
 * crossed, and a malformed head fails with 400 naming the rule.
 */
class HttpHeadParserTest {
  private static final int MAX_SIZE = HttpHeadParser.DEFAULT_MAX_HEAD_SIZE;
  private static final int MAX_COUNT = HttpHeadParser.DEFAULT_MAX_HEADER_COUNT;

  private static HttpHeadParser requestParser() {
    return HttpHeadParser.forRequest(MAX_SIZE, MAX_COUNT);
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Parses {@code head} under every split; all must agree. Returns the head as parsed in one read. */
  private static HttpRequestHead parseEveryWay(byte[] head) {
    AtomicReference<String> first = new AtomicReference<>();
    HttpRequestHead[] parsed = new HttpRequestHead[1];
    Splits.of(head).forEach(split -> {
      HttpHeadParser parser = requestParser();
      int end = -1;
      int piece = 0;
      for (; piece < split.pieces().size() && end < 0; piece++) {
        end = parser.parse(split.pieces().get(piece));
      }
      assertThat(end).as("end index, split into %s", split).isEqualTo(split.pieces().get(piece - 1).length());
      assertThat(piece).as("the head is complete only with its last byte").isEqualTo(split.pieces().size());
      HttpRequestHead result = parser.requestHead();
      String described = result.method() + " " + result.target() + " " + result.majorVersion() + "." + result.minorVersion()
          + "\n" + result.headers();
      if (!first.compareAndSet(null, described)) {
        assertThat(described).as("head parsed from %s", split).isEqualTo(first.get());
      } else {
        parsed[0] = result;
      }
    });
    return parsed[0];
  }

  /** Asserts that {@code head} fails with {@code status} and {@code reason} under every split, at byte {@code failingByte}. */
  private static void assertFailsAt(byte[] head, int failingByte, int status, String reason) {
    Splits.of(head).forEach(split -> {
      HttpHeadParser parser = requestParser();
      for (int piece = 0; piece < split.pieces().size(); piece++) {
        try {
          parser.parse(split.pieces().get(piece));
        } catch (HandshakeException e) {
          assertThat(e.status()).isEqualTo(status);
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(piece).as("the read that failed, split into %s", split).isEqualTo(split.pieceOf(failingByte));
          return;
        }
      }
      fail("parsed without an error, split into %s", split);
    });
  }

  private static void assertMalformed(String head, String reason) {
    assertFailsAt(latin1(head), head.length() - 1, 400, reason);
  }

  // Incremental parsing

  @Test
  void parsesTheRfcSampleRequestArrivingInAnyPieces() {
    HttpRequestHead head = parseEveryWay(Request.rfcSample().bytes());
    assertThat(head.method()).isEqualTo("GET");
    assertThat(head.target()).isEqualTo("/chat");
    assertThat(head.path()).isEqualTo("/chat");
    assertThat(head.isAtLeastHttp11()).isTrue();
    assertThat(head.headers().names()).containsExactly("Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Origin",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Version");
    assertThat(head.headers().get("sec-websocket-key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
  }

  @Test
  void parsesAHeadArrivingOneByteAtATime() {
    byte[] head = Request.rfcSample().bytes();
    HttpHeadParser parser = requestParser();
    for (int i = 0; i < head.length - 1; i++) {
      assertThat(parser.parse(Buffer.buffer(new byte[] {head[i]}))).as("byte %d", i).isEqualTo(-1);
    }
    assertThat(parser.parse(Buffer.buffer(new byte[] {head[head.length - 1]}))).isEqualTo(1);
    assertThat(parser.requestHead().headers().get("Host")).isEqualTo("server.example.com");
  }

  @Test
  void returnsTheIndexJustPastTheHeadWhenMoreFollowsInTheSameRead() {
    byte[] head = Request.rfcSample().bytes();
    Buffer read = Buffer.buffer(head).appendString("trailing bytes");
    assertThat(requestParser().parse(read)).isEqualTo(head.length);
  }

  @Test
  void acceptsBareLfLineEndings() {
    // RFC 9112 §2.2: a recipient MAY recognize a single LF as a line terminator
    HttpRequestHead head = parseEveryWay(latin1("GET /chat HTTP/1.1\nHost: a\nUpgrade: websocket\n\n"));
    assertThat(head.headers().get("Upgrade")).isEqualTo("websocket");
  }

  @Test
  void trimsWhitespaceAroundHeaderValues() {
    HttpRequestHead head = parseEveryWay(latin1("GET / HTTP/1.1\r\nHost: \t example.com \t\r\nX-Empty:\r\n\r\n"));
    assertThat(head.headers().get("Host")).isEqualTo("example.com");
    assertThat(head.headers().get("X-Empty")).isEmpty();
  }

  @Test
  void keepsRepeatedHeadersInOrder() {
    HttpRequestHead head = parseEveryWay(latin1("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\na: 3\r\n\r\n"));
    assertThat(head.headers().getAll("A")).containsExactly("1", "3");
    assertThat(head.headers().size()).isEqualTo(3);
  }

  @Test
  void parsingAfterTheHeadIsCompleteIsAnError() {
    HttpHeadParser parser = requestParser();
    parser.parse(Buffer.buffer(Request.rfcSample().bytes()));
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("x"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void headIsNotAvailableBeforeItIsComplete() {
    HttpHeadParser parser = requestParser();
    parser.parse(Buffer.buffer("GET / HTTP/1.1\r\n"));
    assertThatThrownBy(parser::requestHead).isInstanceOf(IllegalStateException.class);
  }

  // Limits: 431

  private static byte[] headOfSize(int size) {
    String start = "GET /chat HTTP/1.1\r\nHost: a\r\nX-Pad: ";
    String end = "\r\n\r\n";
    return latin1(start + "p".repeat(size - start.length() - end.length()) + end);
  }

  @Test
  void headOfExactlyTheMaximumSizeIsAccepted() {
    byte[] head = headOfSize(MAX_SIZE);
    assertThat(requestParser().parse(Buffer.buffer(head))).isEqualTo(MAX_SIZE);
  }

  @Test
  void headPastTheMaximumSizeFailsWith431AtTheFirstByteTooMany() {
    assertFailsAt(headOfSize(MAX_SIZE + 1), MAX_SIZE, 431, "request head exceeds 8192 bytes");
  }

  @Test
  void endlessHeaderLineFailsWith431WithoutWaitingForItsEnd() {
    byte[] endless = latin1("GET / HTTP/1.1\r\nX-Slow: " + "s".repeat(MAX_SIZE)); // no line end, ever
    assertFailsAt(endless, MAX_SIZE, 431, "request head exceeds 8192 bytes");
  }

  private static String headWithFields(int count) {
    StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < count; i++) {
      sb.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  @Test
  void maximumHeaderCountIsAccepted() {
    HttpRequestHead head = Request.parseRequest(latin1(headWithFields(MAX_COUNT)));
    assertThat(head.headers().size()).isEqualTo(MAX_COUNT);
  }

  @Test
  void headerCountPastTheMaximumFailsWith431() {
    String head = headWithFields(MAX_COUNT + 1);
    assertFailsAt(latin1(head), head.length() - 1, 431, "more than 64 header fields");
  }

  @Test
  void responseHeadPastTheMaximumSizeFailsWith431NamingAResponse() {
    HttpHeadParser parser = HttpHeadParser.forResponse(64, 8);
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("HTTP/1.1 101 Switching Protocols\r\nX: " + "x".repeat(64))))
        .isInstanceOfSatisfying(HandshakeException.class, e -> {
          assertThat(e.status()).isEqualTo(431);
          assertThat(e.reason()).isEqualTo("response head exceeds 64 bytes");
        });
  }

  // Malformed heads: 400

  @ParameterizedTest
  @ValueSource(strings = {" ", "\t"})
  void obsoleteLineFoldingIsRejected(String fold) {
    assertMalformed("GET / HTTP/1.1\r\nX-Long: first\r\n" + fold + "second\r\n\r\n", "obsolete line folding is not allowed");
  }

  @Test
  void whitespaceBetweenHeaderNameAndColonIsRejected() {
    // RFC 9112 §5.1: no whitespace is allowed between the field name and colon
    assertMalformed("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "invalid character in header name 'Host '");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ho(st", "Ho\"st", "Ho/st", "H\u00e9st", "Ho@st"})
  void headerNameMustBeAToken(String name) {
    assertMalformed("GET / HTTP/1.1\r\n" + name + ": a\r\n\r\n",
        "invalid character in header name '" + name.replaceAll("[^\\x20-\\x7E]", "?") + "'");
  }

  @Test
  void headerLineWithoutAColonIsRejected() {
    assertMalformed("GET / HTTP/1.1\r\nHost a\r\n\r\n", "header field without a name and colon");
  }

  @Test
  void headerLineWithAnEmptyNameIsRejected() {
    assertMalformed("GET / HTTP/1.1\r\n: a\r\n\r\n", "header field without a name and colon");
  }

  @Test
  void bareCrInAHeaderValueIsRejected() {
    assertMalformed("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", "bare CR in head");
  }

  @Test
  void bareCrInTheRequestLineIsRejected() {
    assertMalformed("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", "bare CR in head");
  }

  @Test
  void bareCrOnItsOwnLineIsRejected() {
    assertMalformed("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", "bare CR in head");
  }

  @Test
  void controlCharacterInAHeaderValueIsRejected() {
    assertMalformed("GET / HTTP/1.1\r\nX-Ctl: a\u0001b\r\n\r\n", "control character in header X-Ctl");
  }

  @Test
  void controlCharacterAtTheEndOfAHeaderValueIsRejectedNotTrimmed() {
    assertMalformed("GET / HTTP/1.1\r\nX-Ctl: ab\u000b\r\n\r\n", "control character in header X-Ctl");
  }

  @Test
  void deleteCharacterInAHeaderValueIsRejected() {
    assertMalformed("GET / HTTP/1.1\r\nX-Ctl: a\u007fb\r\n\r\n", "control character in header X-Ctl");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /chat", "GET  /chat HTTP/1.1", "GET /chat HTTP/1.1 extra", "GET"})
  void requestLineMustBeMethodTargetVersion(String requestLine) {
    assertMalformed(requestLine + "\r\nHost: a\r\n\r\n", "request line must be 'method SP target SP version'");
  }

  @Test
  void methodMustBeAToken() {
    assertMalformed("G(T /chat HTTP/1.1\r\n\r\n", "invalid method");
  }

  @Test
  void requestTargetMustBeVisibleAscii() {
    assertMalformed("GET /ch\u00e4t HTTP/1.1\r\n\r\n", "invalid request target");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1", "HTTP/1.10", "http/1.1", "HTTP/x.1", "HTTP-1.1", "HTTP/1,1"})
  void versionMustBeHttpDigitDotDigit(String version) {
    assertMalformed("GET /chat " + version + "\r\n\r\n", "invalid HTTP version '" + version + "'");
  }

  @Test
  void emptyStartLineIsRejected() {
    assertMalformed("\r\n", "empty start line");
  }

  // Response heads (the client's side)

  private static HttpResponseHead parseResponse(String head) {
    HttpHeadParser parser = HttpHeadParser.forResponse(MAX_SIZE, MAX_COUNT);
    assertThat(parser.parse(Buffer.buffer(head))).isEqualTo(head.length());
    return parser.responseHead();
  }

  @Test
  void parsesAStatusLine() {
    HttpResponseHead head = parseResponse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
    assertThat(head.status()).isEqualTo(101);
    assertThat(head.reasonPhrase()).isEqualTo("Switching Protocols");
    assertThat(head.headers().get("Upgrade")).isEqualTo("websocket");
  }

  @Test
  void reasonPhraseMayBeEmptyOrAbsent() {
    assertThat(parseResponse("HTTP/1.1 101 \r\n\r\n").reasonPhrase()).isEmpty();
    assertThat(parseResponse("HTTP/1.1 101\r\n\r\n").reasonPhrase()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "HTTP/1.1 1010 X | status code must be three digits",
    "HTTP/1.1 10a X  | status code must be three digits",
    "HTTP/1.1 10     | status line must be 'version SP status SP reason'",
    "HTTP/1.1        | status line must be 'version SP status SP reason'",
    "HTTP/1.1x 101 X | invalid HTTP version 'HTTP/1.1x'",
  })
  void statusLineMustBeVersionStatusReason(String statusLine, String reason) {
    HttpHeadParser parser = HttpHeadParser.forResponse(MAX_SIZE, MAX_COUNT);
    assertThatThrownBy(() -> parser.parse(Buffer.buffer(statusLine + "\r\n\r\n")))
        .isInstanceOfSatisfying(HandshakeException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.reason()).isEqualTo(reason);
        });
  }
}
