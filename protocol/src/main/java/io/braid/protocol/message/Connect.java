package io.braid.protocol.message;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * CONNECT, the client's first message, on stream 0 (MQTT 5 §3.1). The server answers with a {@link
 * ConnAck}.
 *
 * @param clientId the client identifier; empty asks the server to assign one (returned in {@link
 *     ConnAck#assignedClientId()})
 * @param cleanStart discard any existing session and start a new one
 * @param keepAlive seconds, 0..65535; the longest the client stays silent on the connection (0: no
 *     keep-alive)
 * @param sessionExpiryInterval seconds the session outlives the connection, 0..2^32-1 (0: ends with
 *     the connection; 4294967295: never expires)
 * @param will the will message, or null
 * @param username user name, or null
 * @param password password bytes, or null
 * @param token a bearer token (e.g. a JWT), or null
 * @param authMethod enhanced authentication method (MQTT 5 §4.12), or null
 * @param authData enhanced authentication data, or null; only with an {@code authMethod}
 * @param requestProblemInformation whether the server may send reason strings and user properties
 *     on failures (default true)
 * @param userProperties user properties, in order
 */
public record Connect(
    String clientId,
    boolean cleanStart,
    int keepAlive,
    long sessionExpiryInterval,
    ConnectWill will,
    String username,
    Buffer password,
    String token,
    String authMethod,
    Buffer authData,
    boolean requestProblemInformation,
    List<UserProperty> userProperties)
    implements BraidMessage {

  public Connect {
    Checks.required("CONNECT.clientId", clientId);
    Checks.u16("CONNECT.keepAlive", keepAlive);
    Checks.u32("CONNECT.sessionExpiryInterval", sessionExpiryInterval);
    Checks.authData("CONNECT.authData", authMethod, authData);
    userProperties = Checks.userProperties("CONNECT.userProperties", userProperties);
  }

  public static Builder builder(String clientId) {
    return new Builder(clientId);
  }

  /** A builder starting from this message. */
  public Builder toBuilder() {
    return new Builder(clientId)
        .cleanStart(cleanStart)
        .keepAlive(keepAlive)
        .sessionExpiryInterval(sessionExpiryInterval)
        .will(will)
        .username(username)
        .password(password)
        .token(token)
        .auth(authMethod, authData)
        .requestProblemInformation(requestProblemInformation)
        .userProperties(userProperties);
  }

  @Override
  public MessageType type() {
    return MessageType.CONNECT;
  }

  @Override
  public String toString() {
    return "Connect[clientId=" + clientId + ", cleanStart=" + cleanStart + ", keepAlive=" + keepAlive
        + ", sessionExpiryInterval=" + sessionExpiryInterval + ", will=" + will + ", username="
        + username + ", password=" + Describe.secret(password) + ", token=" + Describe.secret(token)
        + ", authMethod=" + authMethod + ", authData=" + Describe.secret(authData)
        + ", requestProblemInformation=" + requestProblemInformation + ", userProperties="
        + userProperties + "]";
  }

  /** Builds a {@link Connect}; fields default as in the record's documentation. Not thread safe. */
  public static final class Builder {
    private final String clientId;
    private boolean cleanStart;
    private int keepAlive;
    private long sessionExpiryInterval;
    private ConnectWill will;
    private String username;
    private Buffer password;
    private String token;
    private String authMethod;
    private Buffer authData;
    private boolean requestProblemInformation = true;
    private List<UserProperty> userProperties = List.of();

    private Builder(String clientId) {
      this.clientId = clientId;
    }

    public Builder cleanStart(boolean cleanStart) {
      this.cleanStart = cleanStart;
      return this;
    }

    public Builder keepAlive(int seconds) {
      this.keepAlive = seconds;
      return this;
    }

    public Builder sessionExpiryInterval(long seconds) {
      this.sessionExpiryInterval = seconds;
      return this;
    }

    public Builder will(ConnectWill will) {
      this.will = will;
      return this;
    }

    public Builder username(String username) {
      this.username = username;
      return this;
    }

    public Builder password(Buffer password) {
      this.password = password;
      return this;
    }

    public Builder token(String token) {
      this.token = token;
      return this;
    }

    public Builder auth(String authMethod, Buffer authData) {
      this.authMethod = authMethod;
      this.authData = authData;
      return this;
    }

    public Builder requestProblemInformation(boolean request) {
      this.requestProblemInformation = request;
      return this;
    }

    public Builder userProperties(List<UserProperty> userProperties) {
      this.userProperties = userProperties;
      return this;
    }

    public Connect build() {
      return new Connect(clientId, cleanStart, keepAlive, sessionExpiryInterval, will, username,
          password, token, authMethod, authData, requestProblemInformation, userProperties);
    }
  }
}
