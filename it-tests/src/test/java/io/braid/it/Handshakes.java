package io.braid.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Handshake request heads written out by hand, and the accept value computed here rather than with
 * Braid's own code, so the tests do not trust what they test.
 */
final class Handshakes {
  /** The RFC 6455 §1.3 sample nonce; its accept value is {@link #SAMPLE_ACCEPT}. */
  static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  static final String SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Handshakes() {}

  static String newKey() {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** {@code base64(sha1(key + GUID))} (RFC 6455 §4.2.2). */
  static String expectedAccept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A head of {@code lines} (request line first), each ended by CRLF, then the empty line. */
  static String head(String... lines) {
    return String.join("\r\n", lines) + "\r\n\r\n";
  }

  /** A valid upgrade request for {@code path}, with {@code extraLines} added after the required headers. */
  static String request(int port, String path, String key, String... extraLines) {
    String[] lines = new String[6 + extraLines.length];
    lines[0] = "GET " + path + " HTTP/1.1";
    lines[1] = "Host: 127.0.0.1:" + port;
    lines[2] = "Upgrade: websocket";
    lines[3] = "Connection: Upgrade";
    lines[4] = "Sec-WebSocket-Key: " + key;
    lines[5] = "Sec-WebSocket-Version: 13";
    System.arraycopy(extraLines, 0, lines, 6, extraLines.length);
    return head(lines);
  }
}
