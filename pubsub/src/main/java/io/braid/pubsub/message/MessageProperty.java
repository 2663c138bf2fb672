package io.braid.pubsub.message;

import java.util.Objects;

/**
 * One user property of an application message (MQTT 5.0 §3.3.2.3.7): a name/value pair, kept in order, repeatable.
 *
 * @param name the property name
 * @param value the property value
 */
public record MessageProperty(String name, String value) {

  public MessageProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
