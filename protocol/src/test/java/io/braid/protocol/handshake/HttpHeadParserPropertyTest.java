package io.braid.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Untrusted bytes before the handshake: the head parser ends every read, never consumes past its
 * size limit, and fails only with {@link HandshakeException} (400 or 431). Well-formed heads parse
 * the same whatever the reads.
 */
class HttpHeadParserPropertyTest {
  private static final int MAX_SIZE = 512;
  private static final int MAX_COUNT = 8;

  /** Parses {@code stream} in reads of {@code chunk} bytes until the head ends or fails. */
  private static void parseUntrusted(Supplier<HttpHeadParser> parsers, byte[] stream, int chunk) {
    HttpHeadParser parser = parsers.get();
    Buffer all = Buffer.buffer(stream);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      try {
        for (int start = 0; start < stream.length; start += chunk) {
          Buffer read = all.slice(start, Math.min(stream.length, start + chunk));
          int end = parser.parse(read);
          if (end >= 0) {
            assertThat(end).isBetween(1, read.length());
            assertThat(start + end).as("head size").isLessThanOrEqualTo(MAX_SIZE);
            return;
          }
        }
      } catch (HandshakeException e) {
        assertThat(e.status()).isIn(400, 431);
        assertThat(e.reason()).isNotBlank();
        if (e.status() == 431) {
          assertThat(e.reason()).matches("(request|response) head exceeds 512 bytes|more than 8 header fields");
        }
      }
    });
  }

  private static HttpHeadParser request() {
    return HttpHeadParser.forRequest(MAX_SIZE, MAX_COUNT);
  }

  private static HttpHeadParser response() {
    return HttpHeadParser.forResponse(MAX_SIZE, MAX_COUNT);
  }

  @Property(tries = 500)
  void randomBytesOnlyEverFailWithAHandshakeException(
      @ForAll @Size(max = 1000) byte[] stream, @ForAll @IntRange(min = 1, max = 200) int chunk) {
    parseUntrusted(HttpHeadParserPropertyTest::request, stream, chunk);
    parseUntrusted(HttpHeadParserPropertyTest::response, stream, chunk);
  }

  /** Text made of the characters HTTP heads are made of, so that parsing gets past the first line. */
  @Provide
  static Arbitrary<byte[]> headLikeText() {
    Arbitrary<String> pieces = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().withCharRange('a', 'z').withChars("-/.").ofMinLength(1).ofMaxLength(12)),
        Tuple.of(3, Arbitraries.of("\r\n", "\n", "\r", ": ", ":", " ", "\t", ",", "\r\n\r\n", "\u0000", "\u00ff", "\u007f")),
        Tuple.of(2, Arbitraries.of("GET ", "/chat ", "HTTP/1.1", "HTTP/1.0", "HTTP/1.1 101 OK", "Host", "Upgrade",
            "websocket", "Connection", "Sec-WebSocket-Key", "13")));
    return pieces.list().ofMaxSize(120).map(list -> String.join("", list).getBytes(StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 1000)
  void headLikeTextOnlyEverFailsWithAHandshakeException(
      @ForAll("headLikeText") byte[] stream, @ForAll @IntRange(min = 1, max = 64) int chunk) {
    parseUntrusted(HttpHeadParserPropertyTest::request, stream, chunk);
    parseUntrusted(HttpHeadParserPropertyTest::response, stream, chunk);
  }

  @Provide
  static Arbitrary<List<String>> fieldLines() {
    Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars("-!#$%&'*+.^_`|~0123456789")
        .ofMinLength(1).ofMaxLength(20);
    Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '~').withChars("\t\u00e9").ofMaxLength(40)
        .map(String::strip);
    return Combinators.combine(name, value).as((n, v) -> n + ": " + v).list().ofMaxSize(MAX_COUNT);
  }

  @Property(tries = 300)
  void wellFormedHeadsParseTheSameWhateverTheReads(
      @ForAll("fieldLines") List<String> fields, @ForAll long seed, @ForAll @Size(max = 20) byte[] trailing) {
    StringBuilder sb = new StringBuilder("GET /x?y=1 HTTP/1.1\r\n");
    fields.forEach(f -> sb.append(f).append("\r\n"));
    byte[] head = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] stream = Buffer.buffer(head).appendBytes(trailing).getBytes();
    Random random = new Random(seed);

    HttpHeadParser parser = request();
    int consumed = 0;
    int end = -1;
    while (end < 0) {
      int length = Math.min(stream.length - consumed, 1 + random.nextInt(40));
      end = parser.parse(Buffer.buffer(stream).slice(consumed, consumed + length));
      consumed += end < 0 ? length : end;
    }

    assertThat(consumed).isEqualTo(head.length);
    HttpRequestHead parsed = parser.requestHead();
    assertThat(parsed.target()).isEqualTo("/x?y=1");
    assertThat(parsed.headers().toString()).isEqualTo(String.join("", fields.stream().map(f -> f + "\r\n").toList()));
  }
}
