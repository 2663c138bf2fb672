package io.braid.server.config;

import io.braid.protocol.mux.StreamSettings;
import io.braid.pubsub.topic.TopicFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Checks a bound configuration's values, throwing a {@link ConfigException} that names the first bad key. */
final class ConfigValidator {

  private ConfigValidator() {
  }

  private static void mqtt(BrokerConfig.Mqtt mqtt, BrokerConfig.Server server) {
    port("mqtt.port", mqtt.port());
    port("mqtt.tlsPort", mqtt.tlsPort());
    if (mqtt.enabled() && mqtt.port() != 0) {
      require("mqtt.port", mqtt.port() != server.port(), "must differ from server.port");
    }
    require("mqtt.tls", !mqtt.tls() || server.tls().enabled(), "needs server.tls.enabled with its certFile and "
        + "keyFile");
    require("mqtt.webSocketPath", mqtt.webSocketPath().isEmpty() || mqtt.webSocketPath().startsWith("/"),
        "must be empty or start with '/', was '" + mqtt.webSocketPath() + "'");
    require("mqtt.webSocketPath", !mqtt.webSocketPath().equals(server.path()), "must differ from server.path");
    require("mqtt.receiveMaximum", mqtt.receiveMaximum() >= 1 && mqtt.receiveMaximum() <= 65_535, "must be 1..65535");
    require("mqtt.topicAliasMaximum", mqtt.topicAliasMaximum() >= 0 && mqtt.topicAliasMaximum() <= 65_535,
        "must be 0..65535");
  }

  private static void cluster(BrokerConfig.Cluster cluster) {
    require("cluster.name", !cluster.name().isBlank(), "must not be empty");
    oneOf("cluster.transport", cluster.transport(), Set.of("links", "eventbus"));
    require("cluster.host", !cluster.host().isBlank(), "must name this node's address");
    require("cluster.port", cluster.port() >= 1 && cluster.port() <= 65_535, "must be 1..65535, was "
        + cluster.port());
    for (String member : cluster.members()) {
      require("cluster.members", isHostAndPort(member), "'" + member + "' is not host:port");
    }
    require("cluster.publicAddress", cluster.publicAddress().isEmpty() || isHostAndPort(cluster.publicAddress()),
        "'" + cluster.publicAddress() + "' is not host:port");
    require("cluster.sessionMoveWaitMillis", cluster.sessionMoveWaitMillis() >= 0
        && cluster.sessionMoveWaitMillis() <= 60_000, "must be 0..60000");
  }

  private static boolean isHostAndPort(String address) {
    int colon = address.lastIndexOf(':');
    return colon > 0 && address.substring(colon + 1).matches("\\d{1,5}")
        && Integer.parseInt(address.substring(colon + 1)) <= 65_535;
  }

  static void validate(BrokerConfig config) {
    BrokerConfig.Server server = config.server();
    port("server.port", server.port());
    require("server.path", server.path().startsWith("/"), "must start with '/', was '" + server.path() + "'");
    require("server.path", !server.path().equals("/echo") || !server.echo(), "must differ from the echo path /echo");
    require("server.instances", server.instances() >= 0, "must be 0 (one per core) or more");
    positive("server.shutdownTimeoutMillis", server.shutdownTimeoutMillis());
    require("server.permessageDeflateLevel", server.permessageDeflateLevel() >= 1 && server.permessageDeflateLevel() <= 9,
        "must be 1 (fastest) to 9 (smallest), was " + server.permessageDeflateLevel());
    require("server.permessageDeflateMinBytes", server.permessageDeflateMinBytes() >= 0, "must be 0 or more");
    BrokerConfig.Tls tls = server.tls();
    if (tls.enabled()) {
      port("server.tls.port", tls.port());
      readableFile("server.tls.certFile", tls.certFile());
      readableFile("server.tls.keyFile", tls.keyFile());
    }
    mqtt(config.mqtt(), server);
    cluster(config.cluster());
    BrokerConfig.Admin admin = config.admin();
    port("admin.port", admin.port());
    if (admin.enabled() && admin.port() != 0) {
      require("admin.port", admin.port() != server.port(), "must differ from server.port");
    }
    BrokerConfig.Store store = config.store();
    oneOf("store.type", store.type(), Set.of("mvstore", "memory"));
    oneOf("store.syncPolicy", store.syncPolicy(), Set.of("fsync", "write"));
    require("store.dataDir", !store.dataDir().isBlank() || !store.type().equals("mvstore"),
        "must name a directory for the mvstore store");
    BrokerConfig.Auth auth = config.auth();
    if (!auth.usersFile().isEmpty()) {
      readableFile("auth.usersFile", auth.usersFile());
    }
    if (!auth.jwt().rs256PublicKeyFile().isEmpty()) {
      readableFile("auth.jwt.rs256PublicKeyFile", auth.jwt().rs256PublicKeyFile());
    }
    require("auth.jwt.hs256Secret", auth.jwt().hs256Secret().isEmpty() || auth.jwt().hs256Secret().length() >= 32,
        "must be at least 32 characters (256 bits) long");
    require("auth.jwt.usernameClaim", !auth.jwt().usernameClaim().isBlank(), "must not be empty");
    if (!config.acl().file().isEmpty()) {
      readableFile("acl.file", config.acl().file());
    }
    BrokerConfig.Sessions sessions = config.sessions();
    require("sessions.maxSessionExpirySeconds", sessions.maxSessionExpirySeconds() >= 0
        && sessions.maxSessionExpirySeconds() <= 0xFFFF_FFFFL, "must be 0..4294967295");
    positive("sessions.maxQueuedMessages", sessions.maxQueuedMessages());
    oneOf("sessions.queueOverflow", sessions.queueOverflow(), Set.of("drop-newest", "drop-oldest", "conflate",
        "disconnect"));
    require("sessions.maxInflight", sessions.maxInflight() >= 1 && sessions.maxInflight() <= 65_535,
        "must be 1..65535");
    positive("sessions.maxSubscriptions", sessions.maxSubscriptions());
    require("sessions.maxKeepAliveSeconds", sessions.maxKeepAliveSeconds() >= 1
        && sessions.maxKeepAliveSeconds() <= 65_535, "must be 1..65535");
    positive("sessions.connectTimeoutMillis", sessions.connectTimeoutMillis());
    require("sessions.maxClientIdLength", sessions.maxClientIdLength() >= 23
        && sessions.maxClientIdLength() <= 65_535, "must be 23..65535 (MQTT requires at least 23)");
    BrokerConfig.Limits limits = config.limits();
    require("limits.maxHandshakeBytes", limits.maxHandshakeBytes() >= 256, "must be at least 256");
    positive("limits.handshakeTimeoutMillis", limits.handshakeTimeoutMillis());
    require("limits.maxFramePayload", limits.maxFramePayload() >= 1_024, "must be at least 1024");
    require("limits.maxMessageBytes", limits.maxMessageBytes() >= limits.maxFramePayload(),
        "must be at least limits.maxFramePayload (" + limits.maxFramePayload() + ")");
    require("limits.maxStreamsPerConnection", limits.maxStreamsPerConnection() >= 1, "must be at least 1");
    require("limits.maxTopicLength", limits.maxTopicLength() >= 1 && limits.maxTopicLength() <= 65_535,
        "must be 1..65535");
    require("limits.maxTopicLevels", limits.maxTopicLevels() >= 1, "must be at least 1");
    require("limits.streamWindow", limits.streamWindow() >= StreamSettings.DEFAULTS.initialStreamWindow(),
        "must be at least the protocol's default, " + StreamSettings.DEFAULTS.initialStreamWindow());
    require("limits.connectionWindow", limits.connectionWindow() >= StreamSettings.DEFAULTS.initialConnectionWindow()
        && limits.connectionWindow() >= limits.streamWindow(), "must be at least the protocol's default, "
        + StreamSettings.DEFAULTS.initialConnectionWindow() + ", and at least limits.streamWindow");
    require("limits.maxConnections", limits.maxConnections() >= 0, "must be 0 (unlimited) or more");
    require("limits.connectionRatePerIp", limits.connectionRatePerIp() >= 0, "must be 0 (unlimited) or more");
    require("limits.connectionBurstPerIp", limits.connectionBurstPerIp() >= 1, "must be at least 1");
    require("limits.publishRatePerClient", limits.publishRatePerClient() >= 0, "must be 0 (unlimited) or more");
    require("limits.idleTimeoutMillis", limits.idleTimeoutMillis() >= 0, "must be 0 (off) or more");
    require("sys.intervalSeconds", config.sys().intervalSeconds() >= 0, "must be 0 (off) or more");
    BrokerConfig.History history = config.history();
    for (String filter : history.filters()) {
      topicFilter("history.filters", filter);
    }
    positive("history.maxMessages", history.maxMessages());
    for (String filter : config.auth().senderTopics()) {
      topicFilter("auth.senderTopics", filter);
    }
    for (String filter : config.presence().filters()) {
      topicFilter("presence.filters", filter);
    }
    require("history.maxAgeSeconds", history.maxAgeSeconds() >= 0, "must be 0 (no age limit) or more");
  }

  /** A topic filter naming topics (not a shared subscription): wildcards allowed. */
  private static void topicFilter(String key, String filter) {
    try {
      TopicFilter parsed = TopicFilter.parse(filter);
      require(key, !parsed.isShared(), "'" + filter + "' is a shared subscription, not topics");
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "'" + filter + "' is not a topic filter: " + e.getMessage());
    }
  }

  private static void port(String key, int port) {
    require(key, port >= 0 && port <= 65_535, "must be 0..65535, was " + port);
  }

  private static void positive(String key, long value) {
    require(key, value > 0, "must be positive, was " + value);
  }

  private static void oneOf(String key, String value, Set<String> allowed) {
    require(key, allowed.contains(value), "must be one of " + new java.util.TreeSet<>(allowed) + ", was '" + value
        + "'");
  }

  private static void readableFile(String key, String file) {
    require(key, !file.isEmpty(), "must name a file");
    require(key, Files.isReadable(Path.of(file)), "cannot read the file " + file);
  }

  private static void require(String key, boolean condition, String problem) {
    if (!condition) {
      throw new ConfigException(key, problem);
    }
  }
}
