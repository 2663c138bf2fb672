package io.braid.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Sec-WebSocket-Accept} value of RFC 6455 §4.2.2 step 5.4. */
public final class AcceptKey {
  /** The GUID every WebSocket server appends to the client's key (§1.3). */
  public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private AcceptKey() {}

  /** {@code base64(sha1(key + GUID))} for the key exactly as the client sent it. */
  public static String compute(String secWebSocketKey) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((secWebSocketKey + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-1 (MessageDigest Javadoc).
      throw new IllegalStateException("SHA-1 is unavailable", e);
    }
  }
}
