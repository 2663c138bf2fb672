package io.braid.protocol.handshake;

/** The HTTP status codes the handshake uses, with their reason phrases (RFC 9110 §15). */
public final class HttpStatus {
  public static final int SWITCHING_PROTOCOLS = 101;
  /** Not a handshake's status: a static file served to a request that is no upgrade. */
  public static final int OK = 200;
  public static final int BAD_REQUEST = 400;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int METHOD_NOT_ALLOWED = 405;
  /** Not a response the server writes: the status metrics record for a handshake that timed out. */
  public static final int REQUEST_TIMEOUT = 408;
  public static final int UPGRADE_REQUIRED = 426;
  public static final int TOO_MANY_REQUESTS = 429;
  public static final int HEADER_FIELDS_TOO_LARGE = 431;
  public static final int SERVICE_UNAVAILABLE = 503;

  private HttpStatus() {}

  public static String reasonPhrase(int status) {
    switch (status) {
      case SWITCHING_PROTOCOLS: return "Switching Protocols";
      case OK: return "OK";
      case BAD_REQUEST: return "Bad Request";
      case FORBIDDEN: return "Forbidden";
      case NOT_FOUND: return "Not Found";
      case METHOD_NOT_ALLOWED: return "Method Not Allowed";
      case UPGRADE_REQUIRED: return "Upgrade Required";
      case TOO_MANY_REQUESTS: return "Too Many Requests";
      case HEADER_FIELDS_TOO_LARGE: return "Request Header Fields Too Large";
      case SERVICE_UNAVAILABLE: return "Service Unavailable";
      default: return "Error";
    }
  }
}
