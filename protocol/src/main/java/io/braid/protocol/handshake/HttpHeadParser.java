package io.braid.protocol.handshake;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental parser of one HTTP/1.1 message head: a request head on the server, a response head
 * on the client (RFC 9112 §2-§5). Input may arrive one byte at a time, or in one read together with
 * the first WebSocket frames: {@link #parse(Buffer)} returns where the head ended so the caller can
 * pass the rest on untouched.
 *
 * <p>The head is bounded by {@link #maxHeadSize()} bytes and {@link #maxHeaderCount()} fields; past
 * either the parser fails with 431. A malformed head fails with 400. Lines end in CRLF; a bare LF is
 * accepted as RFC 9112 §2.2 allows, a bare CR is not. Obsolete line folding is rejected.
 *
 * <p>Not thread safe: one instance per connection, used once.
 */
public final class HttpHeadParser {
  /** 8 KiB, as most servers (nginx, Tomcat) allow for a whole request head by default. */
  public static final int DEFAULT_MAX_HEAD_SIZE = 8192;
  public static final int DEFAULT_MAX_HEADER_COUNT = 64;

  private enum Kind { REQUEST, RESPONSE }

  private final Kind kind;
  private final int maxHeadSize;
  private final int maxHeaderCount;

  private byte[] head = new byte[256];
  private int fill;
  private int lineLength;
  private boolean done;
  private HttpRequestHead request;
  private HttpResponseHead response;

  private HttpHeadParser(Kind kind, int maxHeadSize, int maxHeaderCount) {
    if (maxHeadSize < 16 || maxHeaderCount < 1) {
      throw new IllegalArgumentException("maxHeadSize must be >= 16 and maxHeaderCount >= 1");
    }
    this.kind = kind;
    this.maxHeadSize = maxHeadSize;
    this.maxHeaderCount = maxHeaderCount;
  }

  public static HttpHeadParser forRequest(int maxHeadSize, int maxHeaderCount) {
    return new HttpHeadParser(Kind.REQUEST, maxHeadSize, maxHeaderCount);
  }

  public static HttpHeadParser forResponse(int maxHeadSize, int maxHeaderCount) {
    return new HttpHeadParser(Kind.RESPONSE, maxHeadSize, maxHeaderCount);
  }

  public int maxHeadSize() {
    return maxHeadSize;
  }

  public int maxHeaderCount() {
    return maxHeaderCount;
  }

  /**
   * Consumes bytes of {@code in} up to the end of the head.
   *
   * @return the index in {@code in} just past the head once it is complete (bytes from there on
   *     belong to what follows the head), or -1 if all of {@code in} was consumed and more is needed
   * @throws HandshakeException with 400 or 431 when the head is malformed or too large
   */
  public int parse(Buffer in) {
    if (done) {
      throw new IllegalStateException("the head is already complete");
    }
    int end = in.length();
    for (int i = 0; i < end; i++) {
      byte b = in.getByte(i);
      if (fill == maxHeadSize) {
        throw new HandshakeException(HttpStatus.HEADER_FIELDS_TOO_LARGE,
            (kind == Kind.REQUEST ? "request" : "response") + " head exceeds " + maxHeadSize + " bytes");
      }
      append(b);
      if (b == '\n') {
        if (lineLength == 0) {
          done = true;
          parseHead();
          return i + 1;
        }
        lineLength = 0;
      } else if (b != '\r') {
        lineLength++;
      }
    }
    return -1;
  }

  /** The parsed request head; only after {@link #parse} returned an index on a request parser. */
  public HttpRequestHead requestHead() {
    if (request == null) {
      throw new IllegalStateException("no complete request head");
    }
    return request;
  }

  /** The parsed response head; only after {@link #parse} returned an index on a response parser. */
  public HttpResponseHead responseHead() {
    if (response == null) {
      throw new IllegalStateException("no complete response head");
    }
    return response;
  }

  private void append(byte b) {
    if (fill == head.length) {
      head = Arrays.copyOf(head, Math.min(head.length * 2, maxHeadSize));
    }
    head[fill++] = b;
  }

  private void parseHead() {
    List<String> lines = splitLines();
    if (lines.isEmpty() || lines.get(0).isEmpty()) {
      throw malformed("empty start line");
    }
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      parseField(lines.get(i), names, values);
    }
    HttpHeaders headers = new HttpHeaders(names, values);
    if (kind == Kind.REQUEST) {
      request = parseRequestLine(lines.get(0), headers);
    } else {
      response = parseStatusLine(lines.get(0), headers);
    }
    head = null;
  }

  /** Splits the head into lines without their terminators, dropping the empty line that ends it. */
  private List<String> splitLines() {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < fill; i++) {
      if (head[i] == '\n') {
        int lineEnd = i > start && head[i - 1] == '\r' ? i - 1 : i;
        String line = new String(head, start, lineEnd - start, StandardCharsets.ISO_8859_1);
        if (line.indexOf('\r') >= 0) {
          throw malformed("bare CR in head");
        }
        lines.add(line);
        start = i + 1;
      }
    }
    lines.remove(lines.size() - 1);
    return lines;
  }

  private void parseField(String line, List<String> names, List<String> values) {
    if (line.isEmpty()) {
      throw malformed("empty header line");
    }
    char first = line.charAt(0);
    if (first == ' ' || first == '\t') {
      throw malformed("obsolete line folding is not allowed");
    }
    if (names.size() == maxHeaderCount) {
      throw new HandshakeException(HttpStatus.HEADER_FIELDS_TOO_LARGE,
          "more than " + maxHeaderCount + " header fields");
    }
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw malformed("header field without a name and colon");
    }
    String name = line.substring(0, colon);
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        throw malformed("invalid character in header name '" + printable(name) + "'");
      }
    }
    String value = trimOws(line.substring(colon + 1));
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        throw malformed("control character in header " + name);
      }
    }
    names.add(name);
    values.add(value);
  }

  /** Removes optional whitespace (SP and HTAB only, RFC 9110 §5.6.3) from both ends. */
  private static String trimOws(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(start, end);
  }

  private static HttpRequestHead parseRequestLine(String line, HttpHeaders headers) {
    String[] parts = line.split(" ", -1);
    if (parts.length != 3) {
      throw malformed("request line must be 'method SP target SP version'");
    }
    String method = parts[0];
    if (method.isEmpty() || !method.chars().allMatch(c -> isTokenChar((char) c))) {
      throw malformed("invalid method");
    }
    String target = parts[1];
    if (target.isEmpty() || !target.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      throw malformed("invalid request target");
    }
    int[] version = parseVersion(parts[2]);
    return new HttpRequestHead(method, target, version[0], version[1], headers);
  }

  private static HttpResponseHead parseStatusLine(String line, HttpHeaders headers) {
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    int sp1 = line.indexOf(' ');
    if (sp1 < 0 || line.length() < sp1 + 4) {
      throw malformed("status line must be 'version SP status SP reason'");
    }
    int[] version = parseVersion(line.substring(0, sp1));
    String code = line.substring(sp1 + 1, sp1 + 4);
    if (!code.chars().allMatch(Character::isDigit) || (line.length() > sp1 + 4 && line.charAt(sp1 + 4) != ' ')) {
      throw malformed("status code must be three digits");
    }
    String reason = line.length() > sp1 + 5 ? line.substring(sp1 + 5) : "";
    return new HttpResponseHead(version[0], version[1], Integer.parseInt(code), reason, headers);
  }

  private static int[] parseVersion(String version) {
    // HTTP-version = "HTTP/" DIGIT "." DIGIT
    if (version.length() != 8 || !version.startsWith("HTTP/") || version.charAt(6) != '.'
        || !Character.isDigit(version.charAt(5)) || !Character.isDigit(version.charAt(7))) {
      throw malformed("invalid HTTP version '" + printable(version) + "'");
    }
    return new int[] {version.charAt(5) - '0', version.charAt(7) - '0'};
  }

  /** tchar of RFC 9110 §5.6.2. */
  static boolean isTokenChar(char c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7E]", "?");
  }

  private static HandshakeException malformed(String reason) {
    return new HandshakeException(HttpStatus.BAD_REQUEST, reason);
  }
}
