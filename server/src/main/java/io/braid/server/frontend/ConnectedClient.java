package io.braid.server.frontend;

import io.braid.pubsub.broker.SessionHandle;
import io.braid.server.auth.ClientAccess;
import io.braid.server.auth.Principal;

/**
 * A client once its CONNECT was accepted and its session attached: what every part of its connection needs to know
 * about it, fixed for the connection's life. Immutable; the session handle is confined to the connection's thread.
 *
 * @param clientId the client identifier (assigned if the client sent none)
 * @param principal who it authenticated as
 * @param access what it may publish and subscribe to
 * @param session its session in the pub/sub core
 * @param keepAliveSeconds the keep-alive in force
 * @param remote its address, for logs
 */
public record ConnectedClient(String clientId, Principal principal, ClientAccess access, SessionHandle session,
    int keepAliveSeconds, String remote) {
}
