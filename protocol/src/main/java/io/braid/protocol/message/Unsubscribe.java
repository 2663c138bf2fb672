package io.braid.protocol.message;

import java.util.List;

/**
 * UNSUBSCRIBE: ends the subscription of the stream it is sent on (MQTT 5 §3.10); the topic filter
 * is the stream's. The server answers with an {@link UnsubAck} on the same stream. Closing the
 * stream unsubscribes too, without an answer.
 *
 * @param userProperties user properties, in order
 */
public record Unsubscribe(List<UserProperty> userProperties) implements BraidMessage {

  public Unsubscribe {
    userProperties = Checks.userProperties("UNSUBSCRIBE.userProperties", userProperties);
  }

  public Unsubscribe() {
    this(List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.UNSUBSCRIBE;
  }
}
