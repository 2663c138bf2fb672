package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.BrokerRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT.js 5 (npm {@code mqtt}, an MQTT client written by no one here) against Braid's MQTT listener: every scenario
 * of {@code src/test/node/mqtt_js_interop.mjs} over TCP and over WebSocket ({@code /mqtt}), as MQTT 3.1.1 and as
 * MQTT 5 where the scenario applies. One node process per group; each scenario prints {@code ok NAME TRANSPORT vN}
 * or {@code FAIL ...}, and each expected line is asserted here, so a scenario the script skipped fails too. The README
 * test command installs {@code mqtt} with {@code npm ci}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MqttJsIT {
  private static final Path NODE_DIR = Path.of("src/test/node");
  private static final long PROCESS_TIMEOUT_SECONDS = 150;
  /** Broker settings the scenarios check the CONNACK against; none is the default, so each is seen to be applied. */
  private static final int RECEIVE_MAXIMUM = 200;
  private static final int TOPIC_ALIAS_MAXIMUM = 8;
  private static final int MAX_KEEP_ALIVE = 120;
  private static final List<Integer> BOTH = List.of(4, 5);
  private static final List<Integer> V5 = List.of(5);

  private static BrokerRuntime broker;

  @BeforeAll
  static void start() {
    assertThat(NODE_DIR.resolve("node_modules/mqtt/package.json"))
        .as("npm's mqtt: run 'npm ci --prefix it-tests/src/test/node' (the README test command does)")
        .isRegularFile();
    broker = TestBrokers.start("mqtt.receiveMaximum", Integer.toString(RECEIVE_MAXIMUM),
        "mqtt.topicAliasMaximum", Integer.toString(TOPIC_ALIAS_MAXIMUM),
        "sessions.maxKeepAliveSeconds", Integer.toString(MAX_KEEP_ALIVE));
  }

  @AfterAll
  static void stop() throws Exception {
    TestBrokers.stop(broker);
  }

  /**
   * Connect, '+' and '#' wildcards, QoS 0/1/2 at min(published, granted), retained messages, empty client ids,
   * unsubscribe.
   */
  @Test
  void core() throws Exception {
    runGroup("core", List.of(
        new Scenario("connect", BOTH),
        new Scenario("wildcards", BOTH),
        new Scenario("qos-matrix", BOTH),
        new Scenario("retained", BOTH),
        new Scenario("empty-client-id", BOTH),
        new Scenario("unsubscribe", BOTH)));
  }

  /**
   * Wills on an abnormal end and not on a normal one, resumed sessions and redelivery of what was not acknowledged,
   * shared subscriptions, keep-alive timeout.
   */
  @Test
  void sessions() throws Exception {
    runGroup("sessions", List.of(
        new Scenario("will-on-destroy", BOTH),
        new Scenario("will-on-forced-end", BOTH),
        new Scenario("no-will-on-normal-end", BOTH),
        new Scenario("session-resume", BOTH),
        new Scenario("redelivery-after-reconnect", BOTH),
        new Scenario("shared-subscription", BOTH),
        new Scenario("keep-alive-timeout", BOTH)));
  }

  /** MQTT 5: topic aliases both ways, subscription options, message properties and expiry, announced limits. */
  @Test
  void mqtt5() throws Exception {
    runGroup("v5", List.of(
        new Scenario("topic-alias-to-server", V5),
        new Scenario("topic-alias-from-server", V5),
        new Scenario("invalid-topic-alias", V5),
        new Scenario("subscription-identifier", V5),
        new Scenario("no-local", V5),
        new Scenario("retain-as-published", V5),
        new Scenario("retain-handling", V5),
        new Scenario("message-expiry", V5),
        new Scenario("user-properties", V5),
        new Scenario("request-response-properties", V5),
        new Scenario("server-keep-alive", V5),
        new Scenario("maximum-packet-size", V5),
        new Scenario("receive-maximum", V5),
        new Scenario("session-expiry-zero", V5)));
  }

  private record Scenario(String name, List<Integer> versions) {}

  private static void runGroup(String group, List<Scenario> scenarios) throws Exception {
    String tcp = "mqtt://" + TestServers.HOST + ":" + broker.mqttPort();
    String ws = "ws://" + TestServers.HOST + ":" + broker.port() + "/mqtt";
    PeerProcess.Result result = PeerProcess.run(List.of("node", "mqtt_js_interop.mjs", tcp, ws, group,
            "receiveMaximum=" + RECEIVE_MAXIMUM, "topicAliasMaximum=" + TOPIC_ALIAS_MAXIMUM,
            "maxKeepAlive=" + MAX_KEEP_ALIVE),
        NODE_DIR, PROCESS_TIMEOUT_SECONDS, "install Node.js 20");
    List<String> lines = result.output().lines().toList();
    List<String> expected = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      for (String transport : List.of("tcp", "ws")) {
        for (int version : scenario.versions()) {
          expected.add("ok " + scenario.name() + " " + transport + " v" + version);
        }
      }
    }
    assertThat(lines).as("scenario lines of group %s; the script's output:%n%s", group, result.output())
        .containsAll(expected);
    assertThat(result.exitCode()).as("exit code of mqtt_js_interop.mjs %s; its output:%n%s", group, result.output())
        .isZero();
    assertThat(lines).as("lines of group %s", group).contains("PASSED group " + group + ": 0 failure(s)");
  }
}
