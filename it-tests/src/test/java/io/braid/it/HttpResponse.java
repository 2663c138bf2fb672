package io.braid.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP response as received: the status line, the header fields in order, and the body bytes
 * that followed the head.
 */
record HttpResponse(String statusLine, List<String[]> headers, byte[] body) {
  /** Parses {@code head} (without its final empty line) and takes {@code body} as is. */
  static HttpResponse parse(String head, byte[] body) {
    String[] lines = head.split("\r\n", -1);
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        throw new AssertionError("malformed header line in response: '" + lines[i] + "'");
      }
      headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()});
    }
    return new HttpResponse(lines[0], headers, body);
  }

  /** The value of the only field called {@code name} (any case), or null; two of them fail. */
  String header(String name) {
    String found = null;
    for (String[] field : headers) {
      if (field[0].equalsIgnoreCase(name)) {
        if (found != null) {
          throw new AssertionError("response has more than one " + name + " header");
        }
        found = field[1];
      }
    }
    return found;
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
