package io.braid.server.frontend;

import io.braid.pubsub.message.Will;
import io.braid.pubsub.topic.TopicName;
import io.vertx.core.buffer.Buffer;
import java.util.function.BiFunction;

/**
 * A client's CONNECT as any wire protocol carries it.
 *
 * @param clientId the client identifier; empty asks the server to assign one
 * @param cleanStart discard any existing session
 * @param sessionExpiryInterval seconds the session should outlive the connection
 * @param keepAliveSeconds the keep-alive the client asks for; 0 for none
 * @param username user name, or null
 * @param password password, or null
 * @param token bearer token from the CONNECT or the transport (e.g. the handshake's {@code Authorization}), or null
 * @param authMethod an enhanced authentication method the client asks for, or null
 * @param will the will, or null
 * @param remote the client's address, for logs
 * @param receiveMaximum QoS 1/2 deliveries the client takes unacknowledged at once (MQTT 5 Receive Maximum); the
 *     session keeps the lower of it and {@code sessions.maxInflight}
 */
public record ConnectAttempt(String clientId, boolean cleanStart, long sessionExpiryInterval, int keepAliveSeconds,
    String username, Buffer password, String token, String authMethod, WillDraft will, String remote,
    int receiveMaximum) {

  /** No limit of the client's own: {@code sessions.maxInflight} applies. */
  public static final int NO_RECEIVE_MAXIMUM = 65_535;

  /**
   * A will as received, before its topic is checked: the front end validates {@link #topic()} and then builds the
   * core's {@link Will} for the client's identifier (known only once an empty one is assigned).
   */
  public interface WillDraft {
    String topic();

    Will toWill(String clientId, TopicName topic);

    /** A draft of a will to {@code topic} that {@code build} makes for a client identifier and the checked topic. */
    static WillDraft of(String topic, BiFunction<String, TopicName, Will> build) {
      return new WillDraft() {
        @Override
        public String topic() {
          return topic;
        }

        @Override
        public Will toWill(String clientId, TopicName checked) {
          return build.apply(clientId, checked);
        }
      };
    }
  }
}
