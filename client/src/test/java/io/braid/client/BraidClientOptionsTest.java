package io.braid.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class BraidClientOptionsTest {

  @Test
  void theDefaultsAreValid() {
    assertThatCode(() -> new BraidClientOptions().validate()).doesNotThrowAnyException();
  }

  @Test
  void refusesResumingASessionThatEndsWithEveryConnection() {
    assertThatThrownBy(() -> new BraidClientOptions().session(false, 0).validate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would be lost")
        .hasMessageContaining("persistentSession");
  }

  @Test
  void acceptsAPersistentSessionWithAnExpiry() {
    assertThatCode(() -> new BraidClientOptions().persistentSession(3_600).validate()).doesNotThrowAnyException();
  }

  @Test
  void refusesAUriThatIsNotAWebSocketUri() {
    assertThatThrownBy(() -> new BraidClientOptions().uris("http://localhost:8080/braid").validate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://");
  }

  @Test
  void refusesAnUnknownSubprotocol() {
    assertThatThrownBy(() -> new BraidClientOptions().subprotocol("mqtt").validate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("braid.v1");
  }

  @Test
  void refusesAReceiveWindowBelowTheProtocolDefault() {
    assertThatThrownBy(() -> new BraidClientOptions().receiveWindow(8).validate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
  }

  @Test
  void refusesAWillWithAnInvalidQos() {
    assertThatThrownBy(() -> new BraidClientOptions()
        .will(new BraidClientOptions.Will("w", Buffer.buffer(), 3, false, 0)).validate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QoS");
  }

  @Test
  void aCopyIsNotChangedByTheOriginal() {
    BraidClientOptions original = new BraidClientOptions().clientId("a");
    BraidClientOptions copy = new BraidClientOptions(original);
    original.clientId("b");
    assertThat(copy.clientId()).isEqualTo("a");
  }
}
