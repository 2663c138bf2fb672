package io.braid.pubsub.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.pubsub.topic.TopicFilter;
import org.junit.jupiter.api.Test;

class SubscriptionOptionsTest {

  @Test
  void maximumQosMustBeZeroOneOrTwo() {
    assertThatThrownBy(() -> SubscriptionOptions.ofMaxQos(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximum QoS must be 0, 1 or 2 [MQTT-3.3.1-4], was 3");
    assertThatThrownBy(() -> SubscriptionOptions.ofMaxQos(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retainHandlingThreeIsAProtocolError() {
    assertThatThrownBy(() -> SubscriptionOptions.ofMaxQos(1).withRetainHandling(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retain handling must be 0, 1 or 2 (MQTT 5.0 §3.8.3.1), was 3");
  }

  @Test
  void subscriptionIdentifierIsOneTo268435455OrZeroForNone() {
    assertThat(SubscriptionOptions.ofMaxQos(1).hasSubscriptionIdentifier()).isFalse();
    assertThat(SubscriptionOptions.ofMaxQos(1).withSubscriptionIdentifier(268_435_455).hasSubscriptionIdentifier())
        .isTrue();
    assertThatThrownBy(() -> SubscriptionOptions.ofMaxQos(1).withSubscriptionIdentifier(268_435_456))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subscription identifier must be 1..268,435,455 or 0 for none (MQTT 5.0 §3.8.2.1.2), "
            + "was 268435456");
    assertThatThrownBy(() -> SubscriptionOptions.ofMaxQos(1).withSubscriptionIdentifier(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void grantedQosIsTheMinimumOfPublishedAndMaximumQos_MQTT_3_8_4() {
    assertThat(SubscriptionOptions.ofMaxQos(1).grantedQos(2)).isEqualTo(1);
    assertThat(SubscriptionOptions.ofMaxQos(2).grantedQos(0)).isZero();
  }

  @Test
  void noLocalOnASharedSubscriptionIsAProtocolError_MQTT_3_8_3_4() {
    TopicFilter shared = TopicFilter.parse("$share/g/a/b");
    assertThatThrownBy(() -> new Subscription("c1", shared, SubscriptionOptions.ofMaxQos(1).withNoLocal(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No Local must not be set on a Shared Subscription [MQTT-3.8.3-4]: $share/g/a/b");
  }
}
