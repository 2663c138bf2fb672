package io.braid.client;

import io.braid.protocol.handshake.ClientHandshake;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The client transport: opens WebSocket connections over Vert.x {@link NetClient} with Braid's own
 * RFC 6455 handshake and frame codec.
 *
 * <pre>{@code
 * WsClient client = WsClient.create(vertx, new WsClientOptions());
 * client.connect(8080, "localhost", "/echo").onSuccess(ws -> {
 *   ws.textHandler(text -> System.out.println(text));
 *   ws.sendText("hello");
 * });
 * }</pre>
 *
 * <p>Thread safe; one instance can open many connections.
 */
public final class WsClient {
  private final Vertx vertx;
  private final WsClientOptions options;
  private final NetClient netClient;

  private WsClient(Vertx vertx, WsClientOptions options) {
    this.vertx = vertx;
    this.options = new WsClientOptions(options);
    NetClientOptions net = new NetClientOptions()
        .setTcpNoDelay(true)
        .setConnectTimeout(options.connectTimeoutMillis());
    if (options.tls()) {
      net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      if (options.trustPemFile() != null) {
        net.setTrustOptions(new PemTrustOptions().addCertPath(options.trustPemFile()));
      }
    }
    this.netClient = vertx.createNetClient(net);
  }

  public static WsClient create(Vertx vertx, WsClientOptions options) {
    return new WsClient(vertx, options);
  }

  public static WsClient create(Vertx vertx) {
    return create(vertx, new WsClientOptions());
  }

  /**
   * Connects and runs the handshake.
   *
   * @return the open connection, or a failure naming the handshake rule the server broke
   */
  public Future<WsClientConnection> connect(int port, String host, String path) {
    ClientHandshake handshake = new ClientHandshake(host + ":" + port, path, options.subprotocols(), options.headers(),
        options.deflateOffer());
    return netClient.connect(port, host)
        .compose(socket -> new WsClientConnection(vertx, socket, options).open(handshake));
  }

  /** Closes the underlying TCP client; open connections are not affected. */
  public Future<Void> close() {
    return netClient.close();
  }
}
