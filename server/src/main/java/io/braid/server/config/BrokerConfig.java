package io.braid.server.config;

import java.util.List;

/**
 * The broker's whole configuration: every key with its embedded default, so that a broker started with no
 * configuration at all is a working broker. {@link ConfigLoader} layers a file, the environment and command-line
 * flags over {@link #defaults()} and {@link ConfigValidator} checks the result, naming the bad key.
 *
 * <p>Keys are written {@code section.key} in docs and messages ({@code limits.maxConnections}); durations carry
 * their unit in the key's name.
 *
 * @param server the WebSocket listener
 * @param admin the admin HTTP port
 * @param store the durable state
 * @param auth authentication
 * @param acl authorization
 * @param sessions session limits and policies
 * @param limits per-connection and per-node limits
 * @param sys the {@code $SYS} statistics topics
 * @param history which topics keep a history that subscribers may start in
 * @param presence which topics' members are told to presence subscribers
 * @param mqtt the MQTT 3.1.1 and 5 listeners
 * @param cluster clustering with other nodes
 */
public record BrokerConfig(Server server, Admin admin, Store store, Auth auth, Acl acl, Sessions sessions,
    Limits limits, Sys sys, History history, Presence presence, Mqtt mqtt, Cluster cluster) {

  /** The embedded defaults: a broker on port 8080 with durable storage in {@code ./data}, anonymous access. */
  public static BrokerConfig defaults() {
    return new BrokerConfig(
        new Server("0.0.0.0", 8080, "/braid", false, 0, List.of(), new Tls(false, 8443, "", ""), 10_000, "",
            true, 6, 256, false, true),
        new Admin(true, "127.0.0.1", 8081, ""),
        new Store("mvstore", "data", "fsync"),
        new Auth(true, "", new Jwt("", "", "", "", "sub", "roles"), List.of()),
        new Acl(""),
        new Sessions(7 * 24 * 3600, 1_000, "drop-newest", false, 100, 100, 3_600, 10_000, 65_535),
        new Limits(8_192, 10_000, 1_048_576, 1_048_576, 100, 1_024, 32, 50_000, 1_000, 10_000, 0, 30_000, 256, 2_048),
        new Sys(10),
        new History(List.of(), 1_000, 0),
        new Presence(List.of(), ""),
        new Mqtt(true, 1883, false, 8883, "/mqtt", 1_024, 1_024, ""),
        new Cluster(false, "braid", "127.0.0.1", 5701, List.of(), "links", "", 5_000));
  }

  /**
   * The WebSocket listener.
   *
   * @param host the address to listen on
   * @param port the port of the broker endpoint (ws); 0 picks a free one
   * @param path the path of the broker endpoint
   * @param echo whether the diagnostic {@code /echo} endpoint is served too
   * @param instances event loops serving connections; 0 means one per core
   * @param allowedOrigins browser origins allowed to open a WebSocket; empty allows any
   * @param tls the wss listener
   * @param shutdownTimeoutMillis how long a graceful shutdown waits for clients to finish
   * @param webRoot files served over plain HTTP on the same port (a web page whose script connects to the broker):
   *     a directory, or {@code classpath:<prefix>} with a {@code files.txt} listing the files under the prefix;
   *     empty (the default) serves none
   * @param permessageDeflate whether WebSocket compression (RFC 7692) is accepted when a client offers it
   * @param permessageDeflateLevel its zlib level, 1 (fastest) to 9 (smallest)
   * @param permessageDeflateMinBytes messages shorter than this are sent uncompressed
   * @param permessageDeflateContextTakeover whether compressors keep their window between messages (better ratios,
   *     about 300 KB of native memory per connection); off, both ends reset after each message and a connection holds
   *     no compressor between messages
   * @param nativeTransport whether sockets use Linux's epoll directly (Netty's native transport) rather than Java
   *     NIO; where it cannot load, the broker logs why and uses NIO
   */
  public record Server(String host, int port, String path, boolean echo, int instances, List<String> allowedOrigins,
      Tls tls, long shutdownTimeoutMillis, String webRoot, boolean permessageDeflate, int permessageDeflateLevel,
      int permessageDeflateMinBytes, boolean permessageDeflateContextTakeover, boolean nativeTransport) {
  }

  /**
   * TLS (wss) on a second port, from PEM files.
   *
   * @param enabled whether the wss listener runs
   * @param port its port; the same as {@code server.port} serves only wss there
   * @param certFile the PEM certificate chain
   * @param keyFile the PEM private key (PKCS#8 or PKCS#1)
   */
  public record Tls(boolean enabled, int port, String certFile, String keyFile) {
  }

  /**
   * The admin HTTP port: {@code /health}, {@code /ready}, {@code /metrics} and the JSON API.
   *
   * @param enabled whether it runs
   * @param host its address (loopback by default: metrics and the API are for operators)
   * @param port its port; 0 picks a free one
   * @param apiToken the bearer token the {@code /api} endpoints require; empty disables the API
   */
  public record Admin(boolean enabled, String host, int port, String apiToken) {
  }

  /**
   * The durable state.
   *
   * @param type {@code mvstore} (durable, the default) or {@code memory} (lost on exit)
   * @param dataDir the data directory of the durable store
   * @param syncPolicy {@code fsync}: every group commit is forced to the device before acknowledging; {@code write}:
   *     written to the OS before acknowledging, survives a process crash but not a machine crash
   */
  public record Store(String type, String dataDir, String syncPolicy) {
  }

  /**
   * Authentication.
   *
   * @param anonymous whether clients without credentials are accepted
   * @param usersFile a users file of {@code name:hash} lines (mosquitto_passwd format), or empty
   * @param jwt JSON Web Token bearer authentication
   * @param senderTopics topic filters whose messages carry who sent them, as the broker knows it: the user property
   *     {@code braid.sender} is the authenticated user name, or {@code anonymous:<client id>} (a chat's author that
   *     no client can forge; a {@code braid.sender} a client sends is always removed)
   */
  public record Auth(boolean anonymous, String usersFile, Jwt jwt, List<String> senderTopics) {
  }

  /**
   * JWT bearer tokens, in CONNECT's {@code token} or the handshake's {@code Authorization: Bearer} header.
   *
   * @param hs256Secret the HS256 shared secret, or empty
   * @param rs256PublicKeyFile a PEM public key for RS256, or empty
   * @param issuer the required {@code iss}, or empty for any
   * @param audience the required {@code aud}, or empty for any
   * @param usernameClaim the claim naming the user (for ACLs and {@code %u})
   * @param rolesClaim the claim listing the user's roles (for ACLs)
   */
  public record Jwt(String hs256Secret, String rs256PublicKeyFile,
      String issuer, String audience, String usernameClaim, String rolesClaim) {
  }

  /**
   * Authorization.
   *
   * @param file an ACL file (mosquitto acl_file syntax, plus roles), or empty: every client may publish and
   *     subscribe to everything but {@code $} topics
   */
  public record Acl(String file) {
  }

  /**
   * Sessions.
   *
   * @param maxSessionExpirySeconds the longest session expiry granted
   * @param maxQueuedMessages messages queued per session (offline, or behind a stalled subscription); also the most
   *     a subscription may ask for with {@code maxQueued}
   * @param queueOverflow the default overflow policy, which a subscription may override in its SUBSCRIBE:
   *     {@code drop-newest}, {@code drop-oldest}, {@code conflate} (keep the latest message per topic) or
   *     {@code disconnect} (close the client with 0x97 when its queue overflows while it is connected)
   * @param queueQos0WhenOffline whether QoS 0 messages are queued for disconnected persistent sessions
   * @param maxInflight QoS 1/2 deliveries awaiting acknowledgement per session
   * @param maxSubscriptions subscriptions per session
   * @param maxKeepAliveSeconds the longest keep-alive accepted; longer (or 0) is lowered to it in CONNACK
   * @param connectTimeoutMillis how long after the handshake the client has to send CONNECT
   * @param maxClientIdLength longest client identifier, in UTF-8 bytes
   */
  public record Sessions(long maxSessionExpirySeconds, int maxQueuedMessages, String queueOverflow,
      boolean queueQos0WhenOffline, int maxInflight, int maxSubscriptions, int maxKeepAliveSeconds,
      long connectTimeoutMillis, int maxClientIdLength) {
  }

  /**
   * Limits; each hit is a clear error to that client and a metric.
   *
   * @param maxHandshakeBytes the largest handshake request head (431 past it)
   * @param handshakeTimeoutMillis time to complete the handshake
   * @param maxFramePayload the largest WebSocket frame payload (close 1009 past it)
   * @param maxMessageBytes the largest WebSocket message, and the largest stream frame (close 1009, or
   *     FRAME_SIZE_ERROR, past it)
   * @param maxStreamsPerConnection streams a client may have open at once (REFUSED_STREAM past it)
   * @param maxTopicLength the longest topic name or filter in UTF-8 bytes (0x90, 0x8F)
   * @param maxTopicLevels the most levels in a topic name or filter (0x90, 0x8F)
   * @param maxConnections connections this node holds at once (503 past it)
   * @param connectionRatePerIp new connections per second from one address on average (429 past it); 0: unlimited
   * @param connectionBurstPerIp new connections one address may open at once before its rate applies
   * @param publishRatePerClient PUBLISH messages per second from one client; 0 (the default): unlimited. Past it a
   *     QoS 1/2 acknowledgement carries 0x97 and a QoS 0 publish is slowed (its stream credit returns late)
   * @param idleTimeoutMillis silence after which the server pings a client at the WebSocket level
   * @param streamWindow messages a client may send on one stream before the broker returns credit, advertised in
   *     SETTINGS (at least the protocol's default, 32)
   * @param connectionWindow messages a client may send on all its streams together before the broker returns credit
   *     (at least the protocol's default, 256): with the largest message, the most one connection can have waiting
   *     in the broker
   */
  public record Limits(int maxHandshakeBytes, long handshakeTimeoutMillis, int maxFramePayload, int maxMessageBytes,
      int maxStreamsPerConnection, int maxTopicLength, int maxTopicLevels, int maxConnections,
      int connectionRatePerIp, int connectionBurstPerIp, int publishRatePerClient, long idleTimeoutMillis,
      int streamWindow, int connectionWindow) {
  }

  /**
   * The {@code $SYS/broker/...} statistics topics, retained, as Mosquitto publishes them.
   *
   * @param intervalSeconds how often they are published; 0 disables them
   */
  public record Sys(int intervalSeconds) {
  }

  /**
   * Topic history: every topic matching one of {@code filters} numbers its messages (offsets within an epoch) and
   * keeps the latest of them in the store, so that a subscriber can start after the last offset it saw, with the last
   * N messages, or since a time (PROTOCOL.md 8.8).
   *
   * @param filters topic filters ({@code chat/rooms/+}); empty: no topic keeps a history
   * @param maxMessages messages kept per topic
   * @param maxAgeSeconds how long a message is kept; 0: as long as it is among the latest {@code maxMessages}
   */
  public record History(List<String> filters, int maxMessages, long maxAgeSeconds) {
  }

  /**
   * Presence: the members of each topic matching one of {@code filters} (the connected clients subscribed to it) are
   * told to subscribers of {@code $presence/<topic filter>}: a snapshot, then joins and leaves (PROTOCOL.md 8.9).
   *
   * @param filters topic filters ({@code chat/rooms/+}); empty: presence is off
   * @param uniqueField a field of the members' info (their CONNECT's {@code braid.presence}) that no two members of a
   *     topic may share, such as a nickname: a subscription that would make a second gets SUBACK 0x83; empty: none
   */
  public record Presence(List<String> filters, String uniqueField) {
  }

  /**
   * MQTT 3.1.1 and 5 clients, on the same pub/sub core, sessions, ACLs and limits as Braid's own (PROTOCOL.md 10).
   *
   * @param enabled whether the broker listens for MQTT at all (TCP, TLS and WebSocket)
   * @param port the MQTT-over-TCP port on {@code server.host} (0: any free port)
   * @param tls whether MQTT over TLS is served too, with {@code server.tls}'s certificate and key
   * @param tlsPort the MQTT-over-TLS port (0: any free port)
   * @param webSocketPath the path on the main port where MQTT over WebSocket (subprotocol {@code mqtt}) is served; empty:
   *     none
   * @param receiveMaximum QoS 1/2 publishes a client may have unacknowledged at once (CONNACK Receive Maximum); past it
   *     DISCONNECT 0x93
   * @param topicAliasMaximum topic aliases a client may set (CONNACK Topic Alias Maximum); 0: none
   * @param serverReference where MQTT 5 clients should reconnect when this broker shuts down (DISCONNECT 0x9C with
   *     this Server Reference, e.g. {@code other-node:1883}); empty: DISCONNECT 0x8B, no reference
   */
  public record Mqtt(boolean enabled, int port, boolean tls, int tlsPort, String webSocketPath, int receiveMaximum,
      int topicAliasMaximum, String serverReference) {
  }

  /**
   * Clustering (Vert.x clustered mode on Hazelcast): subscriptions stay on the node that holds their session, each node
   * announces the filters it has subscribers for, and a publish is forwarded only to the nodes whose filters match
   * (OPERATIONS.md, "A cluster").
   *
   * @param enabled whether this node joins a cluster
   * @param name the cluster's name; members with another name are refused
   * @param host the address of this node's cluster port and event bus, which the other members connect to
   * @param port the cluster (Hazelcast member) port
   * @param members the other members' {@code host:port}, for joining (TCP/IP discovery; multicast is never used); a
   *     node may list all members, itself included
   * @param transport how publishes travel between nodes: {@code links}, direct TCP links that batch what a node sends
   *     another in one event-loop turn (the default, chosen by measurement: BENCHMARKS.md section 17), or
   *     {@code eventbus}, the Vert.x clustered event bus, one send per message
   * @param publicAddress the {@code host:port} at which the other members reach this node's cluster port, when it is
   *     not {@code host:port} (NAT, a container's port mapping); empty: {@code host:port}
   * @param sessionMoveWaitMillis how long a client whose session is being moved here from another node waits for it
   *     before it is refused for now (CONNACK 0x89) and comes back; 0: refused at once
   */
  public record Cluster(boolean enabled, String name, String host, int port, List<String> members,
      String transport, String publicAddress, long sessionMoveWaitMillis) {
  }
}
