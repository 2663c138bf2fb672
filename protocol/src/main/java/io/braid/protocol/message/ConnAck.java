package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * CONNACK, the server's answer to {@link Connect}, on stream 0 (MQTT 5 §3.2). A reason code of 0x80
 * or more refuses the connection; the server then closes it.
 *
 * @param sessionPresent the server resumed an existing session; always false on a refusal
 *     [MQTT-3.2.2-6]
 * @param reasonCode 0x00 or a CONNACK error code
 * @param assignedClientId the client id the server assigned (the client sent an empty one), or null
 * @param serverKeepAlive the keep-alive in seconds the client must use instead of its own, or {@link
 *     BraidMessage#ABSENT}
 * @param sessionExpiryInterval the session expiry the server uses instead of the client's, or {@link
 *     BraidMessage#ABSENT}
 * @param maximumQos highest QoS the server accepts in PUBLISH and SUBSCRIBE, 0..2 (default 2)
 * @param retainAvailable whether retained messages are supported (default true)
 * @param wildcardSubscriptionAvailable whether filters may contain wildcards (default true)
 * @param sharedSubscriptionAvailable whether {@code $share/} filters are supported (default true)
 * @param subscriptionIdentifiersAvailable whether SUBSCRIBE may carry an identifier (default true)
 * @param maximumMessageSize the largest encoded message in bytes the server accepts, 1..2^32-1, or
 *     {@link BraidMessage#ABSENT} for no limit beyond the stream layer's
 * @param reasonString a human readable reason, or null
 * @param serverReference another server to use (with 0x9C / 0x9D), or null
 * @param authMethod the enhanced authentication method, or null
 * @param authData enhanced authentication data, or null; only with an {@code authMethod}
 * @param userProperties user properties, in order
 */
public record ConnAck(
    boolean sessionPresent,
    int reasonCode,
    String assignedClientId,
    int serverKeepAlive,
    long sessionExpiryInterval,
    int maximumQos,
    boolean retainAvailable,
    boolean wildcardSubscriptionAvailable,
    boolean sharedSubscriptionAvailable,
    boolean subscriptionIdentifiersAvailable,
    long maximumMessageSize,
    String reasonString,
    String serverReference,
    String authMethod,
    Buffer authData,
    List<UserProperty> userProperties)
    implements BraidMessage {

  public ConnAck {
    ReasonCode.check(MessageType.CONNACK, reasonCode);
    if (sessionPresent && reasonCode != ReasonCode.SUCCESS) {
      throw Checks.invalid("CONNACK.sessionPresent", "must be false with an error reason code [MQTT-3.2.2-6]");
    }
    Checks.optionalU16("CONNACK.serverKeepAlive", serverKeepAlive);
    Checks.optionalU32("CONNACK.sessionExpiryInterval", sessionExpiryInterval);
    Checks.qos("CONNACK.maximumQos", maximumQos);
    if (maximumMessageSize != BraidMessage.ABSENT && (maximumMessageSize < 1 || maximumMessageSize > BraidMessage.MAX_U32)) {
      throw Checks.invalid("CONNACK.maximumMessageSize", "must be 1..4294967295, was " + maximumMessageSize);
    }
    Checks.authData("CONNACK.authData", authMethod, authData);
    userProperties = Checks.userProperties("CONNACK.userProperties", userProperties);
  }

  /** A successful CONNACK with every default. */
  public static ConnAck accepted(boolean sessionPresent) {
    return builder(ReasonCode.SUCCESS).sessionPresent(sessionPresent).build();
  }

  /** A refusal with a reason code (0x80 or more). */
  public static ConnAck refused(int reasonCode, String reasonString) {
    return builder(reasonCode).reasonString(reasonString).build();
  }

  public static Builder builder(int reasonCode) {
    return new Builder(reasonCode);
  }

  /** A builder starting from this message. */
  public Builder toBuilder() {
    return new Builder(reasonCode)
        .sessionPresent(sessionPresent)
        .assignedClientId(assignedClientId)
        .serverKeepAlive(serverKeepAlive)
        .sessionExpiryInterval(sessionExpiryInterval)
        .maximumQos(maximumQos)
        .retainAvailable(retainAvailable)
        .wildcardSubscriptionAvailable(wildcardSubscriptionAvailable)
        .sharedSubscriptionAvailable(sharedSubscriptionAvailable)
        .subscriptionIdentifiersAvailable(subscriptionIdentifiersAvailable)
        .maximumMessageSize(maximumMessageSize)
        .reasonString(reasonString)
        .serverReference(serverReference)
        .auth(authMethod, authData)
        .userProperties(userProperties);
  }

  @Override
  public MessageType type() {
    return MessageType.CONNACK;
  }

  @Override
  public String toString() {
    return "ConnAck[sessionPresent=" + sessionPresent + ", reasonCode=" + ReasonCode.hex(reasonCode)
        + ", assignedClientId=" + assignedClientId + ", serverKeepAlive=" + serverKeepAlive
        + ", sessionExpiryInterval=" + sessionExpiryInterval + ", maximumQos=" + maximumQos
        + ", retainAvailable=" + retainAvailable + ", wildcardSubscriptionAvailable="
        + wildcardSubscriptionAvailable + ", sharedSubscriptionAvailable=" + sharedSubscriptionAvailable
        + ", subscriptionIdentifiersAvailable=" + subscriptionIdentifiersAvailable
        + ", maximumMessageSize=" + maximumMessageSize + ", reasonString=" + reasonString
        + ", serverReference=" + serverReference + ", authMethod=" + authMethod + ", authData="
        + Describe.secret(authData) + ", userProperties=" + userProperties + "]";
  }

  /** Builds a {@link ConnAck}; fields default as in the record's documentation. Not thread safe. */
  public static final class Builder {
    private final int reasonCode;
    private boolean sessionPresent;
    private String assignedClientId;
    private int serverKeepAlive = BraidMessage.ABSENT;
    private long sessionExpiryInterval = BraidMessage.ABSENT;
    private int maximumQos = 2;
    private boolean retainAvailable = true;
    private boolean wildcardSubscriptionAvailable = true;
    private boolean sharedSubscriptionAvailable = true;
    private boolean subscriptionIdentifiersAvailable = true;
    private long maximumMessageSize = BraidMessage.ABSENT;
    private String reasonString;
    private String serverReference;
    private String authMethod;
    private Buffer authData;
    private List<UserProperty> userProperties = List.of();

    private Builder(int reasonCode) {
      this.reasonCode = reasonCode;
    }

    public Builder sessionPresent(boolean sessionPresent) {
      this.sessionPresent = sessionPresent;
      return this;
    }

    public Builder assignedClientId(String assignedClientId) {
      this.assignedClientId = assignedClientId;
      return this;
    }

    public Builder serverKeepAlive(int seconds) {
      this.serverKeepAlive = seconds;
      return this;
    }

    public Builder sessionExpiryInterval(long seconds) {
      this.sessionExpiryInterval = seconds;
      return this;
    }

    public Builder maximumQos(int maximumQos) {
      this.maximumQos = maximumQos;
      return this;
    }

    public Builder retainAvailable(boolean available) {
      this.retainAvailable = available;
      return this;
    }

    public Builder wildcardSubscriptionAvailable(boolean available) {
      this.wildcardSubscriptionAvailable = available;
      return this;
    }

    public Builder sharedSubscriptionAvailable(boolean available) {
      this.sharedSubscriptionAvailable = available;
      return this;
    }

    public Builder subscriptionIdentifiersAvailable(boolean available) {
      this.subscriptionIdentifiersAvailable = available;
      return this;
    }

    public Builder maximumMessageSize(long bytes) {
      this.maximumMessageSize = bytes;
      return this;
    }

    public Builder reasonString(String reasonString) {
      this.reasonString = reasonString;
      return this;
    }

    public Builder serverReference(String serverReference) {
      this.serverReference = serverReference;
      return this;
    }

    public Builder auth(String authMethod, Buffer authData) {
      this.authMethod = authMethod;
      this.authData = authData;
      return this;
    }

    public Builder userProperties(List<UserProperty> userProperties) {
      this.userProperties = userProperties;
      return this;
    }

    public ConnAck build() {
      return new ConnAck(sessionPresent, reasonCode, assignedClientId, serverKeepAlive,
          sessionExpiryInterval, maximumQos, retainAvailable, wildcardSubscriptionAvailable,
          sharedSubscriptionAvailable, subscriptionIdentifiersAvailable, maximumMessageSize,
          reasonString, serverReference, authMethod, authData, userProperties);
    }
  }
}
