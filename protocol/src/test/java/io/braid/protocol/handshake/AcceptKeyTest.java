package io.braid.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code Sec-WebSocket-Accept = base64(sha1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))}, RFC 6455 §1.3. */
class AcceptKeyTest {
  @Test
  void matchesTheRfcExample() {
    assertThat(AcceptKey.compute("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void usesTheRfcGuid() {
    assertThat(AcceptKey.GUID).isEqualTo("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
  }

  /** The key is hashed as sent, not decoded: another key, another answer. */
  @Test
  void dependsOnTheKeyAsSent() {
    assertThat(AcceptKey.compute("AAECAwQFBgcICQoLDA0ODw==")).isNotEqualTo(AcceptKey.compute("dGhlIHNhbXBsZSBub25jZQ=="));
  }
}
