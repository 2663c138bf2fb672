package io.braid.server;

import io.braid.protocol.handshake.EndpointSpec;
import java.util.List;

/**
 * The diagnostic {@code /echo} endpoint: every text and binary frame goes back as it came, with its
 * fragmentation preserved, so that conformance suites such as Autobahn can test the server. It
 * speaks no subprotocol.
 */
final class EchoEndpoint implements WsEndpoint {
  static final String PATH = "/echo";
  private static final EndpointSpec SPEC = new EndpointSpec(PATH, List.of());

  @Override
  public EndpointSpec spec() {
    return SPEC;
  }

  @Override
  public WsHandler open(WsChannel channel) {
    return frame -> channel.send(frame.opcode(), frame.fin(), frame.payload());
  }
}
