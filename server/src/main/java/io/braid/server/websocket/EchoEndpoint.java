package io.braid.server.websocket;

import io.braid.protocol.handshake.EndpointSpec;
import java.util.List;

/**
 * The diagnostic echo endpoint (at {@code /echo} by default): every text and binary frame goes back as it came, with its
 * fragmentation preserved, so that conformance suites such as Autobahn can test the server. It
 * speaks no subprotocol.
 */
final class EchoEndpoint implements WsEndpoint {
  private final EndpointSpec spec;

  EchoEndpoint(String path) {
    this.spec = new EndpointSpec(path, List.of());
  }

  @Override
  public EndpointSpec spec() {
    return spec;
  }

  @Override
  public WsHandler open(WsChannel channel) {
    return (WsFrameHandler) frame -> channel.send(frame.opcode(), frame.fin(), frame.payload());
  }
}
