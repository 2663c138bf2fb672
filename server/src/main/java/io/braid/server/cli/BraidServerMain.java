package io.braid.server.cli;

import io.braid.server.BrokerRuntime;
import io.braid.server.config.BrokerConfig;
import io.braid.server.config.ConfigException;
import io.braid.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar braid-server.jar}: runs the broker until SIGTERM, with the embedded defaults unless told
 * otherwise. Configuration comes from the defaults, then {@code --config}, then {@code BRAID_*} environment
 * variables, then the flags below ({@code --set key=value} for any key).
 */
@Command(name = "braid-server", mixinStandardHelpOptions = true, version = "Braid 0.1.0",
    subcommands = PasswdCommand.class,
    description = {"Runs the Braid broker: a WebSocket endpoint (ws://host:8080/braid by default), durable storage in "
        + "./data, and the admin port (http://127.0.0.1:8081: /health, /ready, /metrics).",
        "Configuration, each overriding the one before: embedded defaults, --config FILE (JSON or YAML), BRAID_* "
            + "environment variables, flags. See docs/OPERATIONS.md for every key."})
public final class BraidServerMain implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "A JSON (.json) or YAML (.yaml, .yml) config file.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Sets any configuration key, e.g. --set limits.maxConnections=1000; repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--host", description = "server.host: address to listen on.")
  String host;

  @Option(names = {"-p", "--port"}, description = "server.port: the WebSocket port; 0 picks a free one.")
  Integer port;

  @Option(names = "--admin-port", description = "admin.port: the admin HTTP port; 0 picks a free one.")
  Integer adminPort;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "store.dataDir: the data directory.")
  String dataDir;

  @Option(names = "--memory", description = "store.type=memory: keep everything in memory (lost on exit).")
  boolean memory;

  @Option(names = "--permessage-deflate", negatable = true, description =
      "server.permessageDeflate: accept WebSocket compression (RFC 7692) when a client offers it (default: on).")
  Boolean permessageDeflate;

  @Option(names = "--echo", description = "server.echo: also serve the diagnostic /echo endpoint.")
  boolean echo;

  @Option(names = "--instances", description = "server.instances: event loops serving connections (0: one per core).")
  Integer instances;

  @Option(names = "--max-frame-size", description = "limits.maxFramePayload: largest WebSocket frame payload.")
  Integer maxFrameSize;

  @Option(names = "--max-message-size", description = "limits.maxMessageBytes: largest WebSocket message.")
  Integer maxMessageSize;

  @Option(names = "--idle-timeout", description = "limits.idleTimeoutMillis: silence before a WebSocket ping; 0: off.")
  Long idleTimeout;

  @Option(names = "--allowed-origin", description = "server.allowedOrigins: a browser origin allowed; repeatable.")
  List<String> allowedOrigins;

  @Option(names = "--mqtt-port", description = "mqtt.port: the MQTT-over-TCP port (default 1883); 0 turns MQTT off "
      + "(mqtt.enabled=false).")
  Integer mqttPort;

  @Option(names = "--cluster", description = "cluster.enabled: joins a cluster of brokers (Hazelcast).")
  boolean cluster;

  @Option(names = "--cluster-port", description = "cluster.port: this node's cluster port (default 5701).")
  Integer clusterPort;

  @Option(names = "--cluster-member", description = "cluster.members: another member's host:port; repeatable.")
  List<String> clusterMembers;

  @Option(names = "--print-config", description = "Prints the effective configuration as YAML and exits.")
  boolean printConfig;

  @Override
  public Integer call() throws Exception {
    BrokerConfig effective;
    try {
      effective = ConfigLoader.load(config, System.getenv(), flags());
    } catch (ConfigException e) {
      System.err.println("braid-server: configuration error: " + e.getMessage());
      return 2;
    }
    if (printConfig) {
      System.out.print(ConfigLoader.toYaml(effective));
      return 0;
    }
    BrokerRuntime runtime;
    try {
      runtime = BrokerRuntime.start(effective);
    } catch (RuntimeException e) {
      System.err.println("braid-server: cannot start: " + e.getMessage());
      return 1;
    }
    System.out.println("braid-server: broker at ws://localhost:" + runtime.port() + effective.server().path()
        + (runtime.tlsPort() > 0 ? ", wss port " + runtime.tlsPort() : "")
        + (effective.server().echo() ? ", echo at ws://localhost:" + runtime.port() + "/echo" : "")
        + (runtime.adminPort() > 0 ? ", admin at http://" + effective.admin().host() + ":" + runtime.adminPort() : "")
        + (runtime.mqttPort() > 0 ? ", mqtt at mqtt://localhost:" + runtime.mqttPort() : "")
        + (runtime.mqttTlsPort() > 0 ? ", mqtts port " + runtime.mqttTlsPort() : "")
        + (runtime.cluster() != null ? ", cluster node " + runtime.cluster().nodeId() : ""));
    CountDownLatch stopped = new CountDownLatch(1);
    long timeout = effective.server().shutdownTimeoutMillis() + 10_000;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        runtime.stop().await(timeout, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        System.err.println("braid-server: unclean shutdown: " + e.getMessage());
      }
      stopped.countDown();
    }, "braid-shutdown"));
    stopped.await();
    return 0;
  }

  /** The dedicated flags and {@code --set}, as configuration keys; {@code --set} last, so it wins. */
  private Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    put(flags, "server.host", host);
    put(flags, "server.port", port);
    put(flags, "admin.port", adminPort);
    put(flags, "store.dataDir", dataDir);
    if (memory) {
      flags.put("store.type", "memory");
    }
    if (echo) {
      flags.put("server.echo", "true");
    }
    put(flags, "server.permessageDeflate", permessageDeflate);
    if (mqttPort != null && mqttPort == 0) {
      flags.put("mqtt.enabled", "false");
    } else {
      put(flags, "mqtt.port", mqttPort);
    }
    if (cluster) {
      flags.put("cluster.enabled", "true");
    }
    put(flags, "cluster.port", clusterPort);
    if (clusterMembers != null) {
      flags.put("cluster.members", String.join(",", clusterMembers));
    }
    put(flags, "server.instances", instances);
    put(flags, "limits.maxFramePayload", maxFrameSize);
    put(flags, "limits.maxMessageBytes", maxMessageSize);
    put(flags, "limits.idleTimeoutMillis", idleTimeout);
    if (allowedOrigins != null) {
      flags.put("server.allowedOrigins", String.join(",", allowedOrigins));
    }
    flags.putAll(settings);
    return flags;
  }

  private static void put(Map<String, String> flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value.toString());
    }
  }

  public static void main(String[] args) {
    int code = new CommandLine(new BraidServerMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
