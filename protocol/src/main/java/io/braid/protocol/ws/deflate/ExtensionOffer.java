package io.braid.protocol.ws.deflate;

import java.util.ArrayList;
import java.util.List;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): an extension name and
 * its parameters in the order given. Immutable.
 *
 * <pre>
 *   extension-list  = 1#extension
 *   extension       = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 *
 * @param params each parameter; a parameter without a value has a null value
 */
public record ExtensionOffer(String name, List<Param> params) {
  /** A parameter; {@code value} is null when none was given, and unquoted when it was quoted. */
  public record Param(String name, String value) {}

  public ExtensionOffer {
    params = List.copyOf(params);
  }

  /**
   * Parses every value of the header, in order.
   *
   * @throws IllegalArgumentException naming the first character that breaks the grammar
   */
  public static List<ExtensionOffer> parseAll(List<String> headerValues) {
    List<ExtensionOffer> offers = new ArrayList<>(2);
    for (String value : headerValues) {
      new Parser(value).parseInto(offers);
    }
    return offers;
  }

  /** A recursive-descent parser over one header value. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    void parseInto(List<ExtensionOffer> offers) {
      while (true) {
        skipSpace();
        if (pos == s.length()) {
          return;
        }
        if (s.charAt(pos) == ',') {
          pos++; // empty list elements are allowed (RFC 9110 §5.6.1)
          continue;
        }
        offers.add(extension());
        skipSpace();
        if (pos < s.length() && s.charAt(pos++) != ',') {
          throw fail("expected ',' or ';'");
        }
      }
    }

    private ExtensionOffer extension() {
      String name = token();
      List<Param> params = new ArrayList<>(4);
      skipSpace();
      while (pos < s.length() && s.charAt(pos) == ';') {
        pos++;
        skipSpace();
        String paramName = token();
        skipSpace();
        String value = null;
        if (pos < s.length() && s.charAt(pos) == '=') {
          pos++;
          skipSpace();
          value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : token();
          skipSpace();
        }
        params.add(new Param(paramName, value));
      }
      return new ExtensionOffer(name, params);
    }

    private String token() {
      int start = pos;
      while (pos < s.length() && isTokenChar(s.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        throw fail("expected a token");
      }
      return s.substring(start, pos);
    }

    private String quoted() {
      StringBuilder value = new StringBuilder();
      pos++;
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\') {
          if (pos == s.length()) {
            break;
          }
          c = s.charAt(pos++);
        }
        value.append(c);
      }
      throw fail("unterminated quoted string");
    }

    private void skipSpace() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private IllegalArgumentException fail(String what) {
      return new IllegalArgumentException(what + " at index " + pos + " of '" + s + "'");
    }

    /** tchar of RFC 9110 §5.6.2. */
    static boolean isTokenChar(char c) {
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
        return true;
      }
      return c < 0x7F && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }
}
