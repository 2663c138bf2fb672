package io.braid.server;

import io.braid.protocol.handshake.HttpStatus;
import io.braid.protocol.ws.CloseCodes;
import io.braid.server.limits.ConnectionGate;
import io.braid.server.metrics.BrokerMetrics;
import io.braid.server.websocket.ConnectionHooks;
import io.vertx.core.net.SocketAddress;

/** Node-wide admission (connections per node, connection rate per address) and handshake metrics. Thread safe. */
final class BrokerConnectionHooks implements ConnectionHooks {

  private final ConnectionGate gate;
  private final BrokerMetrics metrics;

  BrokerConnectionHooks(ConnectionGate gate, BrokerMetrics metrics) {
    this.gate = gate;
    this.metrics = metrics;
  }

  @Override
  public Refusal admit(SocketAddress remote) {
    String address = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    ConnectionGate.Refusal refusal = gate.admit(address, System.nanoTime());
    if (refusal == null) {
      return null;
    }
    return switch (refusal) {
      case TOO_MANY_CONNECTIONS -> {
        metrics.limitHit("connections");
        yield new Refusal(HttpStatus.SERVICE_UNAVAILABLE, "this node holds its maximum of " + gate.maxConnections()
            + " connections; try another node or later");
      }
      case RATE_EXCEEDED -> {
        metrics.limitHit("connection_rate");
        yield new Refusal(HttpStatus.TOO_MANY_REQUESTS, "more than " + gate.ratePerIp()
            + " connections a second from " + address);
      }
    };
  }

  @Override
  public void released() {
    gate.released();
  }

  @Override
  public void opened(boolean compressed) {
    metrics.websocketOpened(compressed);
  }

  @Override
  public void handshakeRefused(int status) {
    metrics.handshakeRefused(status);
    if (status == HttpStatus.HEADER_FIELDS_TOO_LARGE) {
      metrics.limitHit("handshake_size");
    } else if (status == HttpStatus.REQUEST_TIMEOUT) {
      metrics.limitHit("handshake_time");
    }
  }

  @Override
  public void protocolError(int closeCode) {
    metrics.protocolError(closeCode);
    if (closeCode == CloseCodes.MESSAGE_TOO_BIG) {
      metrics.limitHit("message_size");
    }
  }
}
