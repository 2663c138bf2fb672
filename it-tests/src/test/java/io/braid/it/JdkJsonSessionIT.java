package io.braid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.server.BrokerRuntime;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole session typed by hand in {@code braid.v1.json}, exactly as docs/PROTOCOL.md section 7 shows it, through the
 * JDK's {@code java.net.http.WebSocket}: a client nobody here wrote, which knows nothing of Braid but the strings.
 */
class JdkJsonSessionIT {

  private BrokerRuntime broker;
  private JdkJsonClient ws;

  @BeforeEach
  void start() throws Exception {
    broker = TestBrokers.start();
    ws = JdkJsonClient.connect(broker.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (ws != null) {
      ws.close();
    }
    TestBrokers.stop(broker);
  }

  private void send(String json) throws Exception {
    ws.send(json);
  }

  private JsonObject next() throws InterruptedException {
    return ws.next();
  }

  @Test
  void connectsSubscribesPublishesAndReceivesInHandTypedJson() throws Exception {
    assertThat(ws.subprotocol()).isEqualTo("braid.v1.json");
    send("{\"stream\":0,\"frame\":\"settings\",\"settings\":{\"initialStreamWindow\":32,"
        + "\"initialConnectionWindow\":256,\"maxConcurrentStreams\":100,\"maxFramePayload\":1048576}}");
    send("{\"stream\":0,\"frame\":\"data\",\"end\":false,\"message\":{\"type\":\"connect\",\"clientId\":\"sensor-1\","
        + "\"cleanStart\":true,\"keepAlive\":30}}");
    assertThat(next().getString("frame")).isEqualTo("settings");
    JsonObject connAck = next();
    assertThat(connAck.getJsonObject("message").getString("type")).isEqualTo("connack");
    assertThat(connAck.getJsonObject("message").containsKey("reasonCode")).as("success leaves it out").isFalse();

    send("{\"stream\":1,\"frame\":\"data\",\"end\":false,\"message\":{\"type\":\"subscribe\","
        + "\"topicFilter\":\"home/+/temp\",\"maxQos\":1}}");
    JsonObject subAck = next();
    assertThat(subAck.getInteger("stream")).isEqualTo(1);
    assertThat(subAck.getJsonObject("message")).isEqualTo(new JsonObject("{\"type\":\"suback\",\"reasonCode\":1}"));

    send("{\"stream\":3,\"frame\":\"data\",\"end\":true,\"message\":{\"type\":\"publish\","
        + "\"topic\":\"home/kitchen/temp\",\"payload\":\"21.5\",\"encoding\":\"utf8\",\"qos\":1,\"packetId\":1}}");
    JsonObject first = next();
    JsonObject second = next();
    JsonObject pubAck = first.getInteger("stream") == 3 ? first : second;
    JsonObject delivery = first.getInteger("stream") == 1 ? first : second;
    assertThat(pubAck.getJsonObject("message")).isEqualTo(new JsonObject("{\"type\":\"puback\",\"packetId\":1}"));
    assertThat(pubAck.getBoolean("end")).isTrue();
    JsonObject publish = delivery.getJsonObject("message");
    assertThat(publish.getString("type")).isEqualTo("publish");
    assertThat(publish.getString("topic")).isEqualTo("home/kitchen/temp");
    assertThat(publish.getString("payload")).isEqualTo("21.5");
    assertThat(publish.getString("encoding")).isEqualTo("utf8");
    assertThat(publish.getInteger("qos")).isEqualTo(1);

    send("{\"stream\":1,\"frame\":\"data\",\"end\":false,\"message\":{\"type\":\"puback\",\"packetId\":"
        + publish.getInteger("packetId") + "}}");
    send("{\"stream\":1,\"frame\":\"data\",\"end\":true,\"message\":{\"type\":\"unsubscribe\"}}");
    JsonObject unsubAck = next();
    assertThat(unsubAck.getJsonObject("message")).isEqualTo(new JsonObject("{\"type\":\"unsuback\"}"));
    assertThat(unsubAck.getBoolean("end")).isTrue();

    send("{\"stream\":0,\"frame\":\"data\",\"end\":false,\"message\":{\"type\":\"disconnect\"}}");
  }

  @Test
  void aTypoInAHandTypedMessageIsRefusedNamingTheField() throws Exception {
    send("{\"stream\":0,\"frame\":\"settings\",\"settings\":{}}");
    send("{\"stream\":0,\"message\":{\"type\":\"connect\",\"clientId\":\"typo\",\"cleanStart\":true,"
        + "\"keepAlive\":30}}");
    next();
    next();

    send("{\"stream\":1,\"message\":{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"maxQos\":1,\"retian\":true}}");

    JsonObject reset = next();
    assertThat(reset.getString("frame")).isEqualTo("reset");
    assertThat(reset.getInteger("stream")).isEqualTo(1);
    assertThat(reset.getString("error")).isEqualTo("message_error");
  }
}
