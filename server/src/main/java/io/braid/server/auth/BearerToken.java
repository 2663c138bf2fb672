package io.braid.server.auth;

/** The token of an {@code Authorization: Bearer <token>} header (RFC 6750 §2.1). */
public final class BearerToken {

  private static final String SCHEME = "Bearer ";

  private BearerToken() {
  }

  /** The token of {@code authorization}, or null if the header is absent or of another scheme. */
  public static String of(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    return authorization.substring(SCHEME.length()).strip();
  }
}
