package io.braid.pubsub.broker;

/**
 * A snapshot of one session, for operators (the admin API, {@code $SYS} statistics).
 *
 * @param clientId the client identifier
 * @param connected whether a client is connected to it
 * @param persistent whether it outlives its connection (session expiry above 0)
 * @param queuedMessages messages waiting to be sent to it (not counting those in flight)
 * @param subscriptions its number of subscriptions
 */
public record SessionInfo(String clientId, boolean connected, boolean persistent, int queuedMessages,
    int subscriptions) {
}
