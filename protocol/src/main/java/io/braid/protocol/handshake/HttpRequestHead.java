package io.braid.protocol.handshake;

/**
 * The request line and header fields of an HTTP/1.1 request (RFC 9112 §3).
 *
 * @param method the method token, case-sensitive
 * @param target the request target as sent, e.g. {@code /echo?x=1}
 * @param majorVersion the HTTP major version
 * @param minorVersion the HTTP minor version
 */
public record HttpRequestHead(String method, String target, int majorVersion, int minorVersion, HttpHeaders headers) {
  /** The path of an origin-form target: everything before {@code ?}. */
  public String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** Whether the version is HTTP/1.1 or later. */
  public boolean isAtLeastHttp11() {
    return majorVersion > 1 || (majorVersion == 1 && minorVersion >= 1);
  }
}
