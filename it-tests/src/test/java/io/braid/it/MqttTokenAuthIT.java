package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.server.BrokerRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JWT sent as an MQTT password (any user name), as MQTT clients carry tokens: checked as a bearer token, its
 * {@code sub} the user the ACL sees; an expired or forged one refused with MQTT 3.1.1's return code 4. Eclipse Paho
 * 1.2.5 is the client.
 */
@Timeout(60)
class MqttTokenAuthIT {

  private static final String SECRET = "a-test-secret-that-is-at-least-32-characters";

  @TempDir
  Path directory;
  private final Vertx vertx = Vertx.vertx();
  private BrokerRuntime broker;
  private JWTAuth signer;

  @BeforeEach
  void start() throws Exception {
    Path acl = directory.resolve("acl");
    Files.writeString(acl, String.join("\n", "user carol", "topic readwrite carol/#", ""), StandardCharsets.UTF_8);
    broker = TestBrokers.start("auth.anonymous", "false", "auth.jwt.hs256Secret", SECRET, "acl.file",
        acl.toString());
    signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
  }

  @AfterEach
  void stop() throws Exception {
    TestBrokers.stop(broker);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String token(String subject, long expiresInSeconds) {
    return signer.generateToken(new JsonObject().put("sub", subject).put("exp",
        System.currentTimeMillis() / 1000 + expiresInSeconds), new JWTOptions().setAlgorithm("HS256"));
  }

  private MqttClient connect(String clientId, String password) throws MqttException {
    MqttClient client = new MqttClient("tcp://" + TestServers.HOST + ":" + broker.mqttPort(), clientId,
        new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName("token");
    options.setPassword(password.toCharArray());
    options.setConnectionTimeout(10);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no fallback to 3.1 after a refusal
    client.connect(options);
    return client;
  }

  @Test
  void acceptsAValidJwtAsThePasswordAndAppliesTheAclOfItsSubject() throws Exception {
    MqttClient client = connect("carol-phone", token("carol", 300));
    try {
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      client.subscribe("carol/inbox", 1, (topic, message) -> received.add(new String(message.getPayload(),
          StandardCharsets.UTF_8)));
      client.publish("carol/inbox", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");

      int[] granted = client.subscribeWithResponse("dave/inbox", 1).getGrantedQos();
      assertThat(granted).containsExactly(0x80); // the ACL grants carol only carol/#
    } finally {
      client.disconnect();
      client.close();
    }
    assertThat(TestBrokers.metric(broker, "braid_acl_denied_total{action=\"subscribe\"}")).isEqualTo(1);
  }

  @Test
  void refusesAnExpiredJwtWithReturnCode4() {
    assertThatThrownBy(() -> connect("carol-old", token("carol", -60)))
        .isInstanceOf(MqttSecurityException.class)
        .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo(4);
  }

  @Test
  void refusesAJwtSignedWithAnotherSecretWithReturnCode4() {
    JWTAuth forger = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer("another-secret-that-is-also-32-characters-long")));
    String forged = forger.generateToken(new JsonObject().put("sub", "carol"),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(300));
    assertThatThrownBy(() -> connect("mallory", forged))
        .isInstanceOf(MqttSecurityException.class)
        .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo(4);
  }
}
