package io.braid.server.websocket;

import io.braid.protocol.handshake.EndpointSpec;

/** A WebSocket service at one path. Thread safe: shared by every connection verticle. */
public interface WsEndpoint {
  EndpointSpec spec();

  /** Creates the handler of a connection whose handshake to this endpoint just succeeded. */
  WsHandler open(WsChannel channel);
}
