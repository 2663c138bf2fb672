package io.braid.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Header lookup is case-insensitive (RFC 9110 §5.1); list values are comma-separated (§5.6.1). */
class HttpHeadersTest {
  private static HttpHeaders headers(String... namesAndValues) {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      names.add(namesAndValues[i]);
      values.add(namesAndValues[i + 1]);
    }
    return new HttpHeaders(names, values);
  }

  @Test
  void lookupIgnoresTheCaseOfTheName() {
    assertThat(headers("Sec-WebSocket-Key", "k").get("SEC-websocket-KEY")).isEqualTo("k");
  }

  @Test
  void getReturnsTheFirstValueAndGetAllEveryValueInOrder() {
    HttpHeaders headers = headers("A", "1", "B", "2", "a", "3");
    assertThat(headers.get("a")).isEqualTo("1");
    assertThat(headers.getAll("A")).containsExactly("1", "3");
    assertThat(headers.get("missing")).isNull();
    assertThat(headers.getAll("missing")).isEmpty();
  }

  @Test
  void tokensSplitCommaListsAcrossFieldLinesAndDropEmptyElements() {
    HttpHeaders headers = headers("Sec-WebSocket-Protocol", " a , ,b,", "sec-websocket-protocol", "c");
    assertThat(headers.tokens("Sec-WebSocket-Protocol")).containsExactly("a", "b", "c");
  }

  @Test
  void containsTokenIgnoresCaseAndMatchesWholeElementsOnly() {
    HttpHeaders headers = headers("Connection", "keep-alive, UPGRADE");
    assertThat(headers.containsToken("connection", "Upgrade")).isTrue();
    assertThat(headers.containsToken("Connection", "upgrad")).isFalse();
    assertThat(headers("Connection", "Upgraded").containsToken("Connection", "Upgrade")).isFalse();
  }

  @Test
  void emptyHeadersHaveNothing() {
    assertThat(HttpHeaders.empty().size()).isZero();
    assertThat(HttpHeaders.empty().tokens("Connection")).isEmpty();
  }
}
