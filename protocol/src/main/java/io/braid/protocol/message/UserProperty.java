package io.braid.protocol.message;

import java.util.Objects;

/**
 * One MQTT 5 user property: a name and a value, both UTF-8 strings. A message holds them as an
 * ordered list, since a name may repeat and order is kept end to end.
 */
public record UserProperty(String name, String value) {
  public UserProperty {
    Objects.requireNonNull(name, "UserProperty.name");
    Objects.requireNonNull(value, "UserProperty.value");
  }
}
