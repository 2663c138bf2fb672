package io.braid.client;

import io.braid.protocol.ws.deflate.DeflateConfig;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * How a {@link BraidClient} connects and behaves; every setting has a working default. Setters return this options
 * object; {@link BraidClient#create} copies it, so later changes do not affect a client. Not thread safe.
 */
public final class BraidClientOptions {

  /** The subprotocol of the binary encoding (the default). */
  public static final String BINARY = "braid.v1";
  /** The subprotocol of the JSON encoding, for debugging. */
  public static final String JSON = "braid.v1.json";

  /**
   * A will: published by the broker if this client's connection ends without a normal DISCONNECT, after
   * {@code delaySeconds} (0: at once) unless the client is back by then.
   */
  public record Will(String topic, Buffer payload, int qos, boolean retain, long delaySeconds) {
  }

  private List<URI> uris = List.of(URI.create("ws://localhost:8080/braid"));
  private String clientId = "";
  private boolean cleanStart = true;
  private long sessionExpirySeconds;
  private int keepAliveSeconds = 60;
  private String username;
  private Buffer password;
  private Supplier<String> tokenSupplier;
  private String presence;
  private Will will;
  private String subprotocol = BINARY;
  private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
  private int outboxSize = 1_000;
  private OutboxPolicy outboxPolicy = OutboxPolicy.FAIL;
  private long outboxWaitMillis = 10_000;
  private ClientStore store;
  private String trustPemFile;
  private DeflateConfig compression;
  private int receiveWindow = 32;
  private long connectTimeoutMillis = 10_000;
  private long requestTimeoutMillis = 30_000;

  /** Options with every default: {@code ws://localhost:8080/braid}, a clean session, QoS state in memory. */
  public BraidClientOptions() {
  }

  BraidClientOptions(BraidClientOptions other) {
    uris = other.uris;
    clientId = other.clientId;
    cleanStart = other.cleanStart;
    sessionExpirySeconds = other.sessionExpirySeconds;
    keepAliveSeconds = other.keepAliveSeconds;
    username = other.username;
    password = other.password;
    tokenSupplier = other.tokenSupplier;
    presence = other.presence;
    will = other.will;
    subprotocol = other.subprotocol;
    reconnect = other.reconnect;
    outboxSize = other.outboxSize;
    outboxPolicy = other.outboxPolicy;
    outboxWaitMillis = other.outboxWaitMillis;
    store = other.store;
    trustPemFile = other.trustPemFile;
    compression = other.compression;
    receiveWindow = other.receiveWindow;
    connectTimeoutMillis = other.connectTimeoutMillis;
    requestTimeoutMillis = other.requestTimeoutMillis;
  }

  /**
   * The brokers to connect to ({@code ws://host:port/braid}, {@code wss://...}), tried in turn; after a refusal with
   * 0x89 (server busy: the session is on its way to that broker) the same one is tried again.
   */
  public BraidClientOptions uris(String... uris) {
    List<URI> list = new ArrayList<>();
    for (String uri : uris) {
      list.add(URI.create(uri));
    }
    this.uris = List.copyOf(list);
    return this;
  }

  /** The client identifier; empty (the default) lets the broker assign one. */
  /**
   * What presence watchers see of this client (a JSON object, at most 1 KiB; the broker adds the authenticated user
   * as {@code "user"}): the CONNECT user property {@code braid.presence}. None by default.
   */
  public BraidClientOptions presence(String json) {
    this.presence = json;
    return this;
  }

  String presence() {
    return presence;
  }

  public BraidClientOptions clientId(String clientId) {
    this.clientId = clientId;
    return this;
  }

  /**
   * A persistent session: the broker keeps the subscriptions and queues QoS 1/2 messages for {@code expirySeconds}
   * after a disconnect, and a reconnect resumes it (clean start off).
   */
  public BraidClientOptions persistentSession(long expirySeconds) {
    this.cleanStart = false;
    this.sessionExpirySeconds = expirySeconds;
    return this;
  }

  /** Clean start and session expiry as MQTT 5 has them; see {@link #persistentSession} for the usual choice. */
  public BraidClientOptions session(boolean cleanStart, long expirySeconds) {
    this.cleanStart = cleanStart;
    this.sessionExpirySeconds = expirySeconds;
    return this;
  }

  /** Seconds the client may stay silent; the client pings within it. 0 lets the broker choose. */
  public BraidClientOptions keepAliveSeconds(int seconds) {
    this.keepAliveSeconds = seconds;
    return this;
  }

  /** A user name and password for the broker's password authentication (none by default: anonymous). */
  public BraidClientOptions credentials(String username, String password) {
    this.username = username;
    this.password = password == null ? null : Buffer.buffer(password);
    return this;
  }

  /** A bearer token (a JWT), asked for again before every connect so that it can be refreshed. */
  public BraidClientOptions tokenSupplier(Supplier<String> tokenSupplier) {
    this.tokenSupplier = tokenSupplier;
    return this;
  }

  /** The will (none by default); see {@link Will}. */
  public BraidClientOptions will(Will will) {
    this.will = will;
    return this;
  }

  /** {@link #BINARY} (the default) or {@link #JSON}. */
  public BraidClientOptions subprotocol(String subprotocol) {
    this.subprotocol = subprotocol;
    return this;
  }

  /** When to reconnect after a loss, and how long to wait between attempts; {@link ReconnectPolicy#DEFAULT}. */
  public BraidClientOptions reconnect(ReconnectPolicy reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  /**
   * The outbox: at most {@code size} publishes wait to be written (while disconnected, or while the broker's credit is
   * used up); past it {@code policy} decides, waiting at most {@code waitMillis} under {@link OutboxPolicy#WAIT}.
   */
  public BraidClientOptions outbox(int size, OutboxPolicy policy, long waitMillis) {
    this.outboxSize = size;
    this.outboxPolicy = policy;
    this.outboxWaitMillis = waitMillis;
    return this;
  }

  /**
   * Where in-flight QoS 1/2 publishes and received QoS 2 packet identifiers are kept: {@link ClientStore#memory()}
   * (the default) survives reconnects; {@link ClientStore#file} also a restart of the process.
   */
  public BraidClientOptions store(ClientStore store) {
    this.store = store;
    return this;
  }

  /** For {@code wss://}: the PEM file of the certificate authorities to trust (the JVM's trust store otherwise). */
  public BraidClientOptions trustPemFile(String path) {
    this.trustPemFile = path;
    return this;
  }

  /**
   * Offers WebSocket compression (permessage-deflate, RFC 7692) and compresses with {@code config} where the broker
   * accepts; null (the default) offers none. Worth it for large, repetitive payloads such as JSON documents; for
   * small binary messages it costs CPU for little.
   */
  public BraidClientOptions compression(DeflateConfig config) {
    this.compression = config;
    return this;
  }

  /** Deliveries a subscription may have on their way before the application takes them (its stream's credit). */
  public BraidClientOptions receiveWindow(int messages) {
    this.receiveWindow = messages;
    return this;
  }

  /** How long one attempt may take from the TCP connect to the CONNACK (10 s by default). */
  public BraidClientOptions connectTimeoutMillis(long millis) {
    this.connectTimeoutMillis = millis;
    return this;
  }

  /** How long a call of the blocking client waits for its answer. */
  public BraidClientOptions requestTimeoutMillis(long millis) {
    this.requestTimeoutMillis = millis;
    return this;
  }

  List<URI> uris() {
    return uris;
  }

  String clientId() {
    return clientId;
  }

  boolean cleanStart() {
    return cleanStart;
  }

  long sessionExpirySeconds() {
    return sessionExpirySeconds;
  }

  int keepAliveSeconds() {
    return keepAliveSeconds;
  }

  String username() {
    return username;
  }

  Buffer password() {
    return password;
  }

  Supplier<String> tokenSupplier() {
    return tokenSupplier;
  }

  Will will() {
    return will;
  }

  String subprotocol() {
    return subprotocol;
  }

  ReconnectPolicy reconnect() {
    return reconnect;
  }

  int outboxSize() {
    return outboxSize;
  }

  OutboxPolicy outboxPolicy() {
    return outboxPolicy;
  }

  long outboxWaitMillis() {
    return outboxWaitMillis;
  }

  ClientStore store() {
    return store;
  }

  String trustPemFile() {
    return trustPemFile;
  }

  DeflateConfig compression() {
    return compression;
  }

  int receiveWindow() {
    return receiveWindow;
  }

  long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  long requestTimeoutMillis() {
    return requestTimeoutMillis;
  }

  /**
   * Checks the options: at least one {@code ws://} or {@code wss://} URI, a known subprotocol, sane sizes, and no
   * persistent session that would lose its messages (clean start off with session expiry 0, where MQTT 5 ends the
   * session with the connection, silently losing what should be queued: Paho #1048, HiveMQ #524, MQTT.js #1139).
   *
   * @throws IllegalArgumentException naming the problem
   */
  void validate() {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("no server URI: set uris(\"ws://host:8080/braid\")");
    }
    for (URI uri : uris) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
        throw new IllegalArgumentException("server URI " + uri + ": must be ws://host[:port]/path or wss://...");
      }
    }
    if (!cleanStart && sessionExpirySeconds == 0) {
      throw new IllegalArgumentException("clean start off with session expiry 0 asks to resume a session that "
          + "ends with every connection: messages sent while the client is away would be lost. Use "
          + "persistentSession(seconds) with seconds > 0, or a clean session");
    }
    if (!subprotocol.equals(BINARY) && !subprotocol.equals(JSON)) {
      throw new IllegalArgumentException("subprotocol must be " + BINARY + " or " + JSON + ", was " + subprotocol);
    }
    if (receiveWindow < 32) {
      throw new IllegalArgumentException("receiveWindow must be at least 32 (the protocol's default), was "
          + receiveWindow);
    }
    if (outboxSize < 1 || keepAliveSeconds < 0 || keepAliveSeconds > 65_535) {
      throw new IllegalArgumentException("outbox size must be at least 1 and keep-alive 0..65535 seconds");
    }
    if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("session expiry must be 0..4294967295 seconds, was " + sessionExpirySeconds);
    }
    if (clientId == null || reconnect == null || outboxPolicy == null) {
      throw new IllegalArgumentException("client id, reconnect policy and outbox policy may not be null");
    }
    if (connectTimeoutMillis <= 0 || requestTimeoutMillis <= 0) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (will != null && (will.topic() == null || will.payload() == null || will.qos() < 0 || will.qos() > 2)) {
      throw new IllegalArgumentException("a will needs a topic, a payload and a QoS of 0, 1 or 2");
    }
  }
}
