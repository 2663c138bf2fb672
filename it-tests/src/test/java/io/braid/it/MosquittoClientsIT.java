package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.BrokerRuntime;
import io.braid.server.auth.PasswordHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} (package mosquitto-clients: libmosquitto, an independent C
 * implementation) against Braid's MQTT listener, over MQTT 3.1.1 and 5: every QoS, wildcards, retained messages, a
 * will after SIGKILL, user properties, topic aliases to the client, users-file authentication and TLS. Every process
 * is bounded ({@code -W} and {@code -C} on mosquitto_sub, a wait on mosquitto_pub) and killed after the test.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MosquittoClientsIT {

  private static final String MISSING = "apt-get install -y mosquitto-clients";
  private static final long WAIT_SECONDS = 15;

  @TempDir
  Path directory;
  private BrokerRuntime broker;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    TestBrokers.stop(broker);
  }

  /**
   * A running {@code mosquitto_sub -d}: its debug lines tell when the SUBACK came, and each message is printed with
   * {@code -F "MSG|..."}, so the two never mix up.
   */
  private final class Sub {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder seen = new StringBuilder();

    Sub(List<String> arguments) throws IOException {
      // stdbuf: libc buffers a pipe in blocks, and the SUBACK line must be read as it is printed
      List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-d", "-W", "" + WAIT_SECONDS));
      command.addAll(arguments);
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new AssertionError("mosquitto_sub could not be started: " + MISSING, e);
      }
      processes.add(process);
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("read failed: " + e);
        }
      }, "mosquitto_sub output");
      reader.setDaemon(true);
      reader.start();
    }

    private String nextLine() throws InterruptedException {
      String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(line).as("mosquitto_sub printed nothing more within %d s; before:%n%s", WAIT_SECONDS, seen)
          .isNotNull();
      seen.append(line).append('\n');
      return line;
    }

    /** Waits for the SUBACK, so what is published next reaches the subscription. */
    Sub subscribed() throws InterruptedException {
      String line = nextLine();
      while (!line.contains("received SUBACK")) {
        assertThat(line).as("before the SUBACK").doesNotContain("Connection error", "refused", "Error");
        line = nextLine();
      }
      return this;
    }

    /** The next message, as its {@code -F "MSG|..."} line printed it (without the prefix). */
    String nextMessage() throws InterruptedException {
      String line = nextLine();
      while (!line.startsWith("MSG|")) {
        line = nextLine();
      }
      return line.substring("MSG|".length());
    }

    /** Waits for mosquitto_sub to end by itself ({@code -C} reached); its exit code. */
    int exitCode() throws InterruptedException {
      assertThat(process.waitFor(WAIT_SECONDS + 5, TimeUnit.SECONDS)).as("mosquitto_sub ends").isTrue();
      return process.exitValue();
    }
  }

  private List<String> plain(String version) {
    return List.of("-h", TestServers.HOST, "-p", "" + broker.mqttPort(), "-V", version);
  }

  private Sub sub(String version, String... arguments) throws IOException {
    List<String> all = new ArrayList<>(plain(version));
    all.addAll(List.of(arguments));
    return new Sub(all);
  }

  private PeerProcess.Result pubResult(List<String> connection, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("mosquitto_pub"));
    command.addAll(connection);
    command.addAll(List.of(arguments));
    return PeerProcess.run(command, null, WAIT_SECONDS, MISSING);
  }

  /** Runs mosquitto_pub to its end and requires success (QoS 1: PUBACK came; QoS 2: PUBCOMP came). */
  private void pub(String version, String... arguments) throws Exception {
    PeerProcess.Result result = pubResult(plain(version), arguments);
    assertThat(result.exitCode()).as("mosquitto_pub %s: %s", List.of(arguments), result.output()).isZero();
  }

  // ------------------------------------------------------------------------------------------ QoS and topics

  @ParameterizedTest(name = "{0} at QoS {1}")
  @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
  void deliversAMosquittoPublishToAMosquittoSubscriberAtEachQos(String version, int qos) throws Exception {
    broker = TestBrokers.start();
    Sub sub = sub(version, "-q", "2", "-t", "meters/+/power", "-C", "1", "-F", "MSG|%t|%p|%q|%r").subscribed();

    pub(version, "-q", "" + qos, "-t", "meters/m-17/power", "-m", "1.5 kW at qos " + qos);

    assertThat(sub.nextMessage()).isEqualTo("meters/m-17/power|1.5 kW at qos " + qos + "|" + qos + "|0");
    assertThat(sub.exitCode()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void deliversAtTheGrantedQosWhenTheSubscriberAskedForLess(String version) throws Exception {
    broker = TestBrokers.start();
    Sub atMostOnce = sub(version, "-q", "0", "-t", "grant/#", "-C", "1", "-F", "MSG|%p|%q").subscribed();
    Sub atLeastOnce = sub(version, "-q", "1", "-t", "grant/#", "-C", "1", "-F", "MSG|%p|%q").subscribed();

    pub(version, "-q", "2", "-t", "grant/x", "-m", "sent at 2");

    assertThat(atMostOnce.nextMessage()).isEqualTo("sent at 2|0");
    assertThat(atLeastOnce.nextMessage()).isEqualTo("sent at 2|1");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void matchesTheMultiLevelWildcardAndNothingOutsideIt(String version) throws Exception {
    broker = TestBrokers.start();
    Sub sub = sub(version, "-q", "1", "-t", "farm/#", "-C", "3", "-F", "MSG|%t|%p").subscribed();

    for (String topic : List.of("barn/cow", "farm", "farmer/x", "farm/field/3/moisture", "farm/end")) {
      pub(version, "-q", "1", "-t", topic, "-m", "at " + topic);
    }

    assertThat(List.of(sub.nextMessage(), sub.nextMessage(), sub.nextMessage())).containsExactly("farm|at farm",
        "farm/field/3/moisture|at farm/field/3/moisture", "farm/end|at farm/end");
    assertThat(sub.exitCode()).isZero();
  }

  // ------------------------------------------------------------------------------------------ retained

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void keepsARetainedMessageUntilAnEmptyRetainedPublishClearsIt(String version) throws Exception {
    broker = TestBrokers.start();
    pub(version, "-q", "1", "-r", "-t", "weather/now", "-m", "rain");

    Sub first = sub(version, "-q", "1", "-t", "weather/#", "-C", "1", "-F", "MSG|%t|%p|%r");
    assertThat(first.nextMessage()).isEqualTo("weather/now|rain|1");

    pub(version, "-q", "1", "-r", "-t", "weather/now", "-n");
    Sub second = sub(version, "-q", "1", "-t", "weather/#", "-C", "1", "-F", "MSG|%t|%p|%r").subscribed();
    pub(version, "-q", "1", "-t", "weather/marker", "-m", "live");
    assertThat(second.nextMessage()).as("nothing retained is left").isEqualTo("weather/marker|live|0");
  }

  // ------------------------------------------------------------------------------------------ will

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void publishesTheWillOfAMosquittoSubKilledWithSigkill(String version) throws Exception {
    broker = TestBrokers.start();
    Sub watcher = sub(version, "-q", "1", "-t", "obituaries/#", "-C", "1", "-F", "MSG|%t|%p|%q").subscribed();
    Sub victim = sub(version, "-i", "victim", "-t", "anything", "--will-topic", "obituaries/victim",
        "--will-payload", "victim was killed", "--will-qos", "1").subscribed();

    victim.process.destroyForcibly(); // SIGKILL: no DISCONNECT, the socket closes with the process

    assertThat(watcher.nextMessage()).isEqualTo("obituaries/victim|victim was killed|1");
  }

  // ------------------------------------------------------------------------------------------ MQTT 5 properties

  @Test
  void forwardsUserPropertiesAndContentTypeBetweenMosquittoClients() throws Exception {
    broker = TestBrokers.start();
    Sub sub = sub("mqttv5", "-q", "1", "-t", "props/#", "-C", "1", "-F", "MSG|%t|%p|%C|%P").subscribed();

    pub("mqttv5", "-q", "1", "-t", "props/a", "-m", "with properties", "-D", "publish", "user-property", "origin",
        "mosquitto", "-D", "publish", "user-property", "trace", "t-42", "-D", "publish", "content-type",
        "text/plain");

    assertThat(sub.nextMessage()).isEqualTo("props/a|with properties|text/plain|origin:mosquitto trace:t-42");
  }

  /**
   * The aliases the broker sets, each with its topic, within the subscriber's Topic Alias Maximum [MQTT-3.3.2-10].
   * The PUBLISHes that then carry only the alias are not checked here: libmosquitto 2.0 (as Paho 1.2.5) cannot
   * resolve them (eclipse-mosquitto/mosquitto#1468).
   */
  @Test
  void setsTopicAliasesOnlyWithinTheSubscribersTopicAliasMaximum() throws Exception {
    broker = TestBrokers.start();
    Sub sub = sub("mqttv5", "-q", "1", "-t", "fleet/#", "-C", "3", "-D", "connect", "topic-alias-maximum", "2",
        "-F", "MSG|%t|%p|%A").subscribed();

    for (int i = 1; i <= 3; i++) {
      pub("mqttv5", "-q", "1", "-t", "fleet/truck-" + i, "-m", "p" + i);
    }

    assertThat(List.of(sub.nextMessage(), sub.nextMessage(), sub.nextMessage()))
        .as("aliases 1 and 2, then no room for a third").containsExactly("fleet/truck-1|p1|1", "fleet/truck-2|p2|2",
            "fleet/truck-3|p3|");
    assertThat(sub.exitCode()).isZero();
  }

  // ------------------------------------------------------------------------------------------ auth and TLS

  @Test
  void refusesAMosquittoPubWithABadPasswordAndTakesTheRightOne() throws Exception {
    Path users = directory.resolve("users");
    Files.writeString(users, "alice:" + PasswordHash.create("wonderland", 1_000).encoded() + "\n");
    broker = TestBrokers.start("auth.anonymous", "false", "auth.usersFile", users.toString());
    Sub sub = sub("mqttv311", "-u", "alice", "-P", "wonderland", "-q", "1", "-t", "secure/#", "-C", "1", "-F",
        "MSG|%t|%p").subscribed();

    PeerProcess.Result refused = pubResult(plain("mqttv311"), "-u", "alice", "-P", "wrong", "-t", "secure/x", "-m",
        "x");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("bad user name or password");
    pub("mqttv5", "-u", "alice", "-P", "wonderland", "-q", "1", "-t", "secure/x", "-m", "signed in");

    assertThat(sub.nextMessage()).isEqualTo("secure/x|signed in");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void servesMosquittoClientsOverTlsWithTheConfiguredCertificate(String version) throws Exception {
    TestCertificates certificates = TestCertificates.create(directory);
    broker = TestBrokers.start("server.tls.enabled", "true", "server.tls.port", "0",
        "server.tls.certFile", certificates.certFile().toString(),
        "server.tls.keyFile", certificates.keyFile().toString(), "mqtt.tls", "true", "mqtt.tlsPort", "0");
    assertThat(broker.mqttTlsPort()).isPositive().isNotEqualTo(broker.mqttPort());
    List<String> tls = List.of("-h", "localhost", "-p", "" + broker.mqttTlsPort(), "-V", version, "--cafile",
        certificates.certFile().toString());
    List<String> subArguments = new ArrayList<>(tls);
    subArguments.addAll(List.of("-q", "2", "-t", "secure/+", "-C", "2", "-F", "MSG|%t|%p|%q"));
    Sub overTls = new Sub(subArguments).subscribed();

    PeerProcess.Result result = pubResult(tls, "-q", "2", "-t", "secure/tls", "-m", "encrypted");
    assertThat(result.exitCode()).as(result.output()).isZero();
    pub(version, "-q", "1", "-t", "secure/plain", "-m", "from the plain port");

    assertThat(overTls.nextMessage()).isEqualTo("secure/tls|encrypted|2");
    assertThat(overTls.nextMessage()).isEqualTo("secure/plain|from the plain port|1");
    assertThat(overTls.exitCode()).isZero();

    Path elsewhere = Files.createDirectory(directory.resolve("other"));
    PeerProcess.Result untrusting = pubResult(List.of("-h", "localhost", "-p", "" + broker.mqttTlsPort(), "-V",
        version, "--cafile", TestCertificates.create(elsewhere).certFile().toString()), "-t", "secure/x", "-m", "x");
    assertThat(untrusting.exitCode()).as("a client that does not trust the certificate: %s", untrusting.output())
        .isNotZero();
  }
}
