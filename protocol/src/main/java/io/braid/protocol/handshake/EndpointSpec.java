package io.braid.protocol.handshake;

import java.util.List;

/**
 * A path the server accepts WebSocket handshakes on, and the subprotocols it speaks there in order
 * of preference.
 */
public record EndpointSpec(String path, List<String> subprotocols) {
  public EndpointSpec {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("endpoint path must start with '/': " + path);
    }
    subprotocols = List.copyOf(subprotocols);
  }
}
