package io.braid.client;

import io.braid.protocol.ws.deflate.DeflateConfig;
import io.braid.protocol.ws.deflate.DeflateParameters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;

/** The WebSocket transports of a client: one for {@code ws://}, one for {@code wss://}, made when first needed. */
final class Transports {

  private final Vertx vertx;
  private final BraidClientOptions options;
  private WsClient plain;
  private WsClient tls;

  Transports(Vertx vertx, BraidClientOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  WsClient forUri(URI uri) {
    boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
    if (secure && tls == null) {
      tls = WsClient.create(vertx, transportOptions().tls(true).trustPemFile(options.trustPemFile()));
    } else if (!secure && plain == null) {
      plain = WsClient.create(vertx, transportOptions());
    }
    return secure ? tls : plain;
  }

  private WsClientOptions transportOptions() {
    return new WsClientOptions()
        .subprotocols(List.of(options.subprotocol()))
        .connectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMillis()))
        .handshakeTimeoutMillis(options.connectTimeoutMillis())
        .permessageDeflate(options.compression() == null ? null : DeflateParameters.BROWSER_OFFER,
            options.compression() == null ? DeflateConfig.DEFAULT : options.compression());
  }

  Future<Void> close() {
    Future<Void> a = plain == null ? Future.succeededFuture() : plain.close();
    Future<Void> b = tls == null ? Future.succeededFuture() : tls.close();
    return Future.all(a, b).mapEmpty();
  }
}
