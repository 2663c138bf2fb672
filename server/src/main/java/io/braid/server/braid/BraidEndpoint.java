package io.braid.server.braid;

import io.braid.protocol.handshake.EndpointSpec;
import io.braid.protocol.message.BinaryMessageCodec;
import io.braid.protocol.message.JsonMessageCodec;
import io.braid.protocol.message.UserProperty;
import io.braid.protocol.mux.StreamSettings;
import io.braid.protocol.ws.CloseCodes;
import io.braid.server.config.BrokerConfig;
import io.braid.server.frontend.BrokerFrontEnd;
import io.braid.server.websocket.WsChannel;
import io.braid.server.websocket.WsEndpoint;
import io.braid.server.websocket.WsHandler;
import java.util.List;

/**
 * The broker's Braid endpoint: subprotocols {@code braid.v1} (binary) and {@code braid.v1.json} (text), each
 * connection a {@link BraidConnection} on the shared {@link BrokerFrontEnd}. A client that negotiates neither is
 * closed with 1002 at once: without a subprotocol there is no way to speak to it. Thread safe.
 */
public final class BraidEndpoint implements WsEndpoint {

  private final EndpointSpec spec;
  private final BrokerFrontEnd frontEnd;
  /** The broker's SETTINGS: its windows (limits.streamWindow, limits.connectionWindow), stream limit and largest frame. */
  private final StreamSettings settings;
  private final List<UserProperty> limitProperties;

  public BraidEndpoint(String path, BrokerFrontEnd frontEnd) {
    this.spec = new EndpointSpec(path, List.of(BinaryMessageCodec.SUBPROTOCOL, JsonMessageCodec.SUBPROTOCOL));
    this.frontEnd = frontEnd;
    BrokerConfig config = frontEnd.config();
    this.settings = new StreamSettings(config.limits().streamWindow(), config.limits().connectionWindow(),
        config.limits().maxStreamsPerConnection(), config.limits().maxMessageBytes());
    this.limitProperties = ConnectPhase.limitProperties(config);
  }

  @Override
  public EndpointSpec spec() {
    return spec;
  }

  @Override
  public WsHandler open(WsChannel channel) {
    if (channel.subprotocol() == null) {
      frontEnd.metrics().protocolError(CloseCodes.PROTOCOL_ERROR);
      channel.close(CloseCodes.PROTOCOL_ERROR, "no subprotocol: offer braid.v1 or braid.v1.json");
      return (text, payload) -> { };
    }
    return new BraidConnection(frontEnd, settings, limitProperties, channel);
  }
}
