package io.braid.pubsub.broker;

/**
 * The broker's answer to a connect: what CONNACK reports, and the handle through which the connection drives its
 * session.
 *
 * @param sessionPresent true if an existing session was resumed [MQTT-3.2.2-2]
 * @param sessionExpiryInterval the session expiry interval granted (the broker may lower the requested one)
 * @param handle the connection's handle on its session
 */
public record ConnectResult(boolean sessionPresent, long sessionExpiryInterval, SessionHandle handle) {
}
