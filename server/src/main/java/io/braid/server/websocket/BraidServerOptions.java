package io.braid.server.websocket;

import io.braid.protocol.handshake.HttpHeadParser;
import io.braid.protocol.ws.WsLimits;
import io.braid.protocol.ws.deflate.DeflateConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a {@link BraidServer}, each with a safe default. Every limit bounds what one client can
 * make the server hold or wait for; hitting it is a clear error to that client only.
 *
 * <p>Mutable while being built; the server takes a copy when it starts.
 */
public final class BraidServerOptions {
  public static final int DEFAULT_PORT = 8080;

  private String host = "0.0.0.0";
  private int port = DEFAULT_PORT;
  private int instances = Runtime.getRuntime().availableProcessors();
  private boolean echoEnabled;
  private String echoPath = "/echo";
  private int maxHandshakeSize = HttpHeadParser.DEFAULT_MAX_HEAD_SIZE;
  private int maxHeaderCount = HttpHeadParser.DEFAULT_MAX_HEADER_COUNT;
  private long handshakeTimeoutMillis = 10_000;
  private int maxFramePayload = WsLimits.DEFAULT_MAX;
  private int maxMessageSize = WsLimits.DEFAULT_MAX;
  private long idleTimeoutMillis = 30_000;
  private long pongTimeoutMillis = 15_000;
  private long closeTimeoutMillis = 5_000;
  private long shutdownTimeoutMillis = 10_000;
  private int writeQueueMaxSize = 256 * 1024;
  private List<String> allowedOrigins = new ArrayList<>();
  private String tlsCertPath;
  private String tlsKeyPath;
  private StaticFiles staticFiles;
  private DeflateConfig permessageDeflate = DeflateConfig.DEFAULT;

  public BraidServerOptions() {}

  public BraidServerOptions(BraidServerOptions other) {
    host = other.host;
    port = other.port;
    instances = other.instances;
    echoEnabled = other.echoEnabled;
    echoPath = other.echoPath;
    maxHandshakeSize = other.maxHandshakeSize;
    maxHeaderCount = other.maxHeaderCount;
    handshakeTimeoutMillis = other.handshakeTimeoutMillis;
    maxFramePayload = other.maxFramePayload;
    maxMessageSize = other.maxMessageSize;
    idleTimeoutMillis = other.idleTimeoutMillis;
    pongTimeoutMillis = other.pongTimeoutMillis;
    closeTimeoutMillis = other.closeTimeoutMillis;
    shutdownTimeoutMillis = other.shutdownTimeoutMillis;
    writeQueueMaxSize = other.writeQueueMaxSize;
    allowedOrigins = new ArrayList<>(other.allowedOrigins);
    tlsCertPath = other.tlsCertPath;
    tlsKeyPath = other.tlsKeyPath;
    staticFiles = other.staticFiles;
    permessageDeflate = other.permessageDeflate;
  }

  public String host() { return host; }

  /** Address to listen on; default {@code 0.0.0.0}. */
  public BraidServerOptions host(String host) { this.host = host; return this; }

  public int port() { return port; }

  /** TCP port; 0 picks a free one (see {@link BraidServer#actualPort()}). Default 8080. */
  public BraidServerOptions port(int port) { this.port = port; return this; }

  public int instances() { return instances; }

  /** Connection verticles sharing the port, one event loop each. Default: one per core. */
  public BraidServerOptions instances(int instances) { this.instances = instances; return this; }

  public boolean echoEnabled() { return echoEnabled; }

  /** Whether the diagnostic {@code /echo} endpoint is served. Default off. */
  public BraidServerOptions echoEnabled(boolean echoEnabled) { this.echoEnabled = echoEnabled; return this; }

  public String echoPath() { return echoPath; }

  /** Path of the echo endpoint when enabled. Default {@code /echo}. */
  public BraidServerOptions echoPath(String path) { this.echoPath = path; return this; }

  public int maxHandshakeSize() { return maxHandshakeSize; }

  /** Largest handshake request head in bytes (431 past it). Default 8192. */
  public BraidServerOptions maxHandshakeSize(int bytes) { this.maxHandshakeSize = bytes; return this; }

  public int maxHeaderCount() { return maxHeaderCount; }

  /** Most header fields in the handshake request (431 past it). Default 64. */
  public BraidServerOptions maxHeaderCount(int count) { this.maxHeaderCount = count; return this; }

  public long handshakeTimeoutMillis() { return handshakeTimeoutMillis; }

  /** Time a new connection has to complete its handshake. Default 10 s. */
  public BraidServerOptions handshakeTimeoutMillis(long millis) { this.handshakeTimeoutMillis = millis; return this; }

  public int maxFramePayload() { return maxFramePayload; }

  /** Largest frame payload in bytes (close 1009 past it). Default 16 MiB. */
  public BraidServerOptions maxFramePayload(int bytes) { this.maxFramePayload = bytes; return this; }

  public int maxMessageSize() { return maxMessageSize; }

  /** Largest message, all fragments together, in bytes (close 1009 past it). Default 16 MiB. */
  public BraidServerOptions maxMessageSize(int bytes) { this.maxMessageSize = bytes; return this; }

  public long idleTimeoutMillis() { return idleTimeoutMillis; }

  /** Silence after which the server pings a client. Default 30 s; 0 disables keep-alive. */
  public BraidServerOptions idleTimeoutMillis(long millis) { this.idleTimeoutMillis = millis; return this; }

  public long pongTimeoutMillis() { return pongTimeoutMillis; }

  /** Time a pinged client has to answer before it is disconnected. Default 15 s. */
  public BraidServerOptions pongTimeoutMillis(long millis) { this.pongTimeoutMillis = millis; return this; }

  public long closeTimeoutMillis() { return closeTimeoutMillis; }

  /** Time the server waits for the client's close frame after sending its own. Default 5 s. */
  public BraidServerOptions closeTimeoutMillis(long millis) { this.closeTimeoutMillis = millis; return this; }

  public long shutdownTimeoutMillis() { return shutdownTimeoutMillis; }

  /** Time a shutdown waits for clients to finish the close handshake. Default 10 s. */
  public BraidServerOptions shutdownTimeoutMillis(long millis) { this.shutdownTimeoutMillis = millis; return this; }

  public int writeQueueMaxSize() { return writeQueueMaxSize; }

  /** Bytes queued for a socket before the server stops reading from it. Default 256 KiB. */
  public BraidServerOptions writeQueueMaxSize(int bytes) { this.writeQueueMaxSize = bytes; return this; }

  public List<String> allowedOrigins() { return allowedOrigins; }

  /** Browser origins allowed to connect; empty (the default) allows all. */
  public BraidServerOptions allowedOrigins(List<String> origins) { this.allowedOrigins = new ArrayList<>(origins); return this; }

  /** The files served to plain HTTP requests (not WebSocket upgrades), or null: those get the handshake's error. */
  public StaticFiles staticFiles() { return staticFiles; }

  /** How permessage-deflate compresses when a client offers it; null declines every offer. Default {@link DeflateConfig#DEFAULT}. */
  public DeflateConfig permessageDeflate() { return permessageDeflate; }

  public BraidServerOptions permessageDeflate(DeflateConfig config) { this.permessageDeflate = config; return this; }

  public BraidServerOptions staticFiles(StaticFiles staticFiles) { this.staticFiles = staticFiles; return this; }

  public String tlsCertPath() { return tlsCertPath; }

  public String tlsKeyPath() { return tlsKeyPath; }

  /** Serves TLS (wss) with a PEM certificate chain and private key; both null (the default) serves plain ws. */
  public BraidServerOptions tls(String certPath, String keyPath) {
    this.tlsCertPath = certPath;
    this.tlsKeyPath = keyPath;
    return this;
  }

  WsLimits wsLimits() {
    return new WsLimits(maxFramePayload, maxMessageSize);
  }

  /** Checks the settings, naming the first bad one. */
  public BraidServerOptions validate() {
    require(port >= 0 && port <= 65535, "port must be 0-65535, was " + port);
    require(echoPath.startsWith("/"), "echoPath must start with '/', was " + echoPath);
    require(instances >= 1, "instances must be >= 1, was " + instances);
    require(maxHandshakeSize >= 256, "maxHandshakeSize must be >= 256, was " + maxHandshakeSize);
    require(maxHeaderCount >= 8, "maxHeaderCount must be >= 8, was " + maxHeaderCount);
    require(handshakeTimeoutMillis > 0, "handshakeTimeoutMillis must be > 0");
    require(maxFramePayload >= 125, "maxFramePayload must be >= 125, was " + maxFramePayload);
    require(maxMessageSize >= maxFramePayload, "maxMessageSize must be >= maxFramePayload");
    require(idleTimeoutMillis >= 0, "idleTimeoutMillis must be >= 0");
    require(pongTimeoutMillis > 0, "pongTimeoutMillis must be > 0");
    require(closeTimeoutMillis > 0, "closeTimeoutMillis must be > 0");
    require(shutdownTimeoutMillis > 0, "shutdownTimeoutMillis must be > 0");
    require(writeQueueMaxSize >= 1024, "writeQueueMaxSize must be >= 1024");
    require((tlsCertPath == null) == (tlsKeyPath == null), "TLS needs both a certificate and a key file");
    return this;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
