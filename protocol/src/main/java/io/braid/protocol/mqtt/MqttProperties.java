package io.braid.protocol.mqtt;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The properties of one MQTT 5 packet or will (§2.2.2): at most one value of each property, but any number of user
 * properties (in order) and, in a PUBLISH, of subscription identifiers. Values are {@code Integer} for the integer
 * types, {@code String} for UTF-8 strings and {@code Buffer} for binary data. Immutable.
 */
public final class MqttProperties {
  /** A user property: a name and value pair, in the order sent. */
  public record UserProperty(String name, String value) {}

  public static final MqttProperties NONE = new MqttProperties(new Object[MqttProperty.MAX_ID + 1], List.of(), List.of());

  private final Object[] values;
  private final List<UserProperty> userProperties;
  private final List<Integer> subscriptionIdentifiers;

  private MqttProperties(Object[] values, List<UserProperty> userProperties, List<Integer> subscriptionIdentifiers) {
    this.values = values;
    this.userProperties = userProperties;
    this.subscriptionIdentifiers = subscriptionIdentifiers;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The value of {@code property}, or null; not for user properties or subscription identifiers. */
  public Object get(MqttProperty property) {
    return property == MqttProperty.SUBSCRIPTION_IDENTIFIER
        ? (subscriptionIdentifiers.isEmpty() ? null : subscriptionIdentifiers.get(0)) : values[property.id()];
  }

  public Integer integer(MqttProperty property) {
    return (Integer) get(property);
  }

  public String string(MqttProperty property) {
    return (String) get(property);
  }

  public Buffer binary(MqttProperty property) {
    return (Buffer) get(property);
  }

  public List<UserProperty> userProperties() {
    return userProperties;
  }

  public List<Integer> subscriptionIdentifiers() {
    return subscriptionIdentifiers;
  }

  /** Whether there are none: the builder returns {@link #NONE} for an empty set, so this is that identity. */
  public boolean isEmpty() {
    return this == NONE;
  }

  /** The single-valued properties present, in identifier order. */
  List<MqttProperty> present() {
    List<MqttProperty> present = new ArrayList<>();
    for (int id = 0; id < values.length; id++) {
      if (values[id] != null) {
        present.add(MqttProperty.ofId(id));
      }
    }
    return present;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MqttProperties p && Arrays.equals(values, p.values) && userProperties.equals(p.userProperties)
        && subscriptionIdentifiers.equals(p.subscriptionIdentifiers);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values) * 31 + userProperties.hashCode() * 17 + subscriptionIdentifiers.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (MqttProperty p : present()) {
      sb.append(p).append('=').append(values[p.id()]).append(", ");
    }
    subscriptionIdentifiers.forEach(id -> sb.append("SUBSCRIPTION_IDENTIFIER=").append(id).append(", "));
    userProperties.forEach(u -> sb.append(u.name()).append(':').append(u.value()).append(", "));
    return sb.append('}').toString();
  }

  /** Collects properties; the codec checks where each may appear. */
  public static final class Builder {
    private final Object[] values = new Object[MqttProperty.MAX_ID + 1];
    private final List<UserProperty> user = new ArrayList<>();
    private final List<Integer> subscriptionIds = new ArrayList<>();

    public Builder put(MqttProperty property, Object value) {
      switch (property) {
        case USER_PROPERTY -> user.add((UserProperty) value);
        case SUBSCRIPTION_IDENTIFIER -> subscriptionIds.add((Integer) value);
        default -> values[property.id()] = Objects.requireNonNull(value);
      }
      return this;
    }

    public Builder user(String name, String value) {
      user.add(new UserProperty(name, value));
      return this;
    }

    boolean has(MqttProperty property) {
      return property == MqttProperty.SUBSCRIPTION_IDENTIFIER ? !subscriptionIds.isEmpty() : values[property.id()] != null;
    }

    public MqttProperties build() {
      if (user.isEmpty() && subscriptionIds.isEmpty() && Arrays.stream(values).allMatch(Objects::isNull)) {
        return NONE;
      }
      return new MqttProperties(values.clone(), List.copyOf(user), List.copyOf(subscriptionIds));
    }
  }
}
