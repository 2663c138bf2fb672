package io.braid.server.broker;

import io.braid.protocol.handshake.EndpointSpec;
import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.JsonMessageCodec;
import io.braid.server.WsChannel;
import io.braid.server.WsEndpoint;
import io.braid.server.WsHandler;
import io.braid.protocol.ws.CloseCodes;
import java.util.List;

/**
 * The broker's WebSocket endpoint: subprotocols {@code braid.v1} (binary) and {@code braid.v1.json} (text), each
 * connection a {@link BrokerConnection}. A client that negotiates neither is closed with 1002 at once: without a
 * subprotocol there is no way to speak to it. Thread safe.
 */
final class BrokerEndpoint implements WsEndpoint {

  private final EndpointSpec spec;
  private final BrokerServices services;

  BrokerEndpoint(String path, BrokerServices services) {
    this.spec = new EndpointSpec(path, List.of(BinaryMessageCodec.SUBPROTOCOL, JsonMessageCodec.SUBPROTOCOL));
    this.services = services;
  }

  @Override
  public EndpointSpec spec() {
    return spec;
  }

  @Override
  public WsHandler open(WsChannel channel) {
    if (channel.subprotocol() == null) {
      services.metrics.protocolError(CloseCodes.PROTOCOL_ERROR);
      channel.close(CloseCodes.PROTOCOL_ERROR, "no subprotocol: offer braid.v1 or braid.v1.json");
      return frame -> { };
    }
    return new BrokerConnection(services, channel);
  }
}
