package io.braid.protocol.ws;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The status code and reason of a close frame (RFC 6455 §5.5.1). A close frame with no payload is
 * reported as {@link CloseCodes#NO_STATUS} with an empty reason.
 */
public record CloseReason(int code, String reason) {
  /** Reported when a close frame carried no status code. */
  public static final CloseReason NO_STATUS = new CloseReason(CloseCodes.NO_STATUS, "");

  /** Parses a close payload that the {@link FrameDecoder} has already validated. */
  public static CloseReason parse(Buffer payload) {
    if (payload.length() < 2) {
      return NO_STATUS;
    }
    return new CloseReason(payload.getUnsignedShort(0), payload.getString(2, payload.length(), "UTF-8"));
  }

  /** The close frame payload: the code then the UTF-8 reason, cut to fit 125 bytes. */
  public Buffer toPayload() {
    if (code == CloseCodes.NO_STATUS) {
      return Buffer.buffer(0);
    }
    byte[] utf8 = truncateUtf8(reason, 123);
    return Buffer.buffer(2 + utf8.length).appendUnsignedShort(code).appendBytes(utf8);
  }

  /** Cuts {@code s} to at most {@code max} UTF-8 bytes without splitting a code point. */
  static byte[] truncateUtf8(String s, int max) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= max) {
      return bytes;
    }
    int end = max;
    // Step back over continuation bytes (10xxxxxx) to a code point boundary.
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return java.util.Arrays.copyOf(bytes, end);
  }
}
