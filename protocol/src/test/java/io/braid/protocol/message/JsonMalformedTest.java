package io.braid.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a JSON message can be malformed fails with a MalformedException naming the field. */
class JsonMalformedTest {
  private final JsonMessageCodec codec = JsonMessageCodec.INSTANCE;

  private BraidMessage decode(String json) {
    return codec.decode(Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)));
  }

  private void assertMalformed(String json, String message) {
    assertThatThrownBy(() -> decode(json)).isInstanceOf(MalformedException.class).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "1", "\"publish\"", "null", "true"})
  void aMessageMustBeAnObject(String json) {
    assertMalformed(json, "message: must be a JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"type\":\"ping\"", "{\"type\":ping}", "{'type':'ping'}", "{\"type\":\"ping\"} {}",
      "{\"type\":\"ping\",\"type\":\"pong\"}"})
  void textThatIsNotOneJsonObjectIsRefused(String json) {
    assertThatThrownBy(() -> decode(json)).isInstanceOf(MalformedException.class)
        .satisfies(e -> assertThat(((MalformedException) e).field()).startsWith("message"));
  }

  @Test
  void duplicateFieldsAreRefused() {
    assertThatThrownBy(() -> decode("{\"type\":\"ping\",\"type\":\"pong\"}"))
        .hasMessageStartingWith("message: not valid JSON: Duplicate field 'type'");
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    Buffer bad = Buffer.buffer("{\"type\":\"publish\",\"topic\":\"").appendByte((byte) 0xff)
        .appendString("\",\"payload\":\"\",\"encoding\":\"utf8\"}");
    assertThatThrownBy(() -> codec.decode(bad)).isInstanceOf(MalformedException.class)
        .hasMessageStartingWith("message: not valid JSON: Invalid UTF-8");
  }

  @Test
  void theTypeIsRequiredAndKnown() {
    assertMalformed("{}", "message.type: missing");
    assertMalformed("{\"type\":null}", "message.type: missing");
    assertMalformed("{\"type\":3}", "message.type: must be a string");
    assertMalformed("{\"type\":\"PUBLISH\"}", "message.type: unknown type 'PUBLISH'");
    assertMalformed("{\"type\":\"pingreq\"}", "message.type: unknown type 'pingreq'");
  }

  @Test
  void unknownFieldsAreRefused() {
    assertMalformed("{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"retian\":true}",
        "publish.retian: unknown field");
    assertMalformed("{\"type\":\"ping\",\"payload\":\"\"}", "ping.payload: unknown field");
    assertMalformed("{\"type\":\"connect\",\"will\":{\"topic\":\"t\",\"payload\":\"\",\"encoding\":\"utf8\",\"x\":1}}",
        "connect.will.x: unknown field");
    assertMalformed("{\"type\":\"unsubscribe\",\"userProperties\":[{\"name\":\"a\",\"value\":\"b\",\"c\":1}]}",
        "unsubscribe.userProperties[0].c: unknown field");
  }

  @Test
  void requiredFieldsMustBePresent() {
    assertMalformed("{\"type\":\"publish\",\"payload\":\"\",\"encoding\":\"utf8\"}", "publish.topic: missing");
    assertMalformed("{\"type\":\"publish\",\"topic\":\"a\"}", "publish.payload: missing");
    assertMalformed("{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"x\"}", "publish.encoding: missing (\"utf8\" or \"base64\")");
    assertMalformed("{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"x\",\"encoding\":\"utf8\",\"qos\":1}",
        "publish.packetId: missing (required at QoS 1 and 2)");
    assertMalformed("{\"type\":\"puback\"}", "puback.packetId: missing");
    assertMalformed("{\"type\":\"subscribe\"}", "subscribe.topicFilter: missing");
    assertMalformed("{\"type\":\"auth\",\"reasonCode\":24}", "auth.authMethod: missing");
    assertMalformed("{\"type\":\"connect\",\"will\":{\"payload\":\"\",\"encoding\":\"utf8\"}}", "connect.will.topic: missing");
    assertMalformed("{\"type\":\"unsubscribe\",\"userProperties\":[{\"name\":\"a\"}]}", "unsubscribe.userProperties[0].value: missing");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"publish\",\"topic\":1,\"payload\":\"\",\"encoding\":\"utf8\"}|publish.topic: must be a string",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"qos\":\"1\"}|publish.qos: must be an integer",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"qos\":1.0}|publish.qos: must be an integer",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"retain\":1}|publish.retain: must be true or false",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf16\"}|publish.encoding: must be \"utf8\" or \"base64\"",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"userProperties\":{}}|publish.userProperties: must be an array",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"userProperties\":[1]}|publish.userProperties[0]: must be an object {\"name\":...,\"value\":...}",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"subscriptionIdentifiers\":[1,0]}|publish.subscriptionIdentifiers[1]: must be 1..268435455, was 0",
      "{\"type\":\"connect\",\"will\":true}|connect.will: must be an object",
      "{\"type\":\"connect\",\"password\":7}|connect.password: must be a base64 string",
      "{\"type\":\"ping\",\"data\":[]}|ping.data: must be a base64 string",
  })
  void fieldsMustHaveTheirType(String json, String message) {
    assertMalformed(json, message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"qos\":3}|publish.qos: must be 0, 1 or 2, was 3",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"qos\":-1}|publish.qos: must be 0, 1 or 2, was -1",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"qos\":1,\"packetId\":0}|publish.packetId: must be 1..65535, was 0",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"qos\":1,\"packetId\":65536}|publish.packetId: must be 0..65535, was 65536",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"packetId\":5}|publish.packetId: must be 0 (none) at QoS 0, was 5",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"dup\":true}|publish.dup: must be false at QoS 0 [MQTT-3.3.1-2]",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"messageExpiryInterval\":4294967296}|publish.messageExpiryInterval: must be 0..4294967295, was 4294967296",
      "{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\",\"encoding\":\"utf8\",\"messageExpiryInterval\":99999999999999999999}|publish.messageExpiryInterval: out of range: 99999999999999999999",
      "{\"type\":\"puback\",\"packetId\":1,\"reasonCode\":146}|puback.reasonCode: 0x92 is not a reason code of PUBACK",
      "{\"type\":\"suback\",\"reasonCode\":256}|suback.reasonCode: must be 0..255, was 256",
      "{\"type\":\"connack\",\"sessionPresent\":true,\"reasonCode\":135}|connack.sessionPresent: must be false with an error reason code [MQTT-3.2.2-6]",
      "{\"type\":\"connack\",\"maximumMessageSize\":0}|connack.maximumMessageSize: must be 1..4294967295, was 0",
      "{\"type\":\"connect\",\"authData\":\"AQI=\"}|connect.authData: requires authMethod",
      "{\"type\":\"connect\",\"keepAlive\":65536}|connect.keepAlive: must be 0..65535, was 65536",
      "{\"type\":\"subscribe\",\"topicFilter\":\"a\",\"retainHandling\":3}|subscribe.retainHandling: must be 0..2, was 3",
  })
  void numbersMustBeInRange(String json, String message) {
    assertMalformed(json, message);
  }

  @Test
  void base64MustBeValid() {
    assertThatThrownBy(() -> decode("{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"**\",\"encoding\":\"base64\"}"))
        .isInstanceOf(MalformedException.class)
        .hasMessageStartingWith("publish.payload: not valid base64");
    // padding is optional on input
    assertThat(decode("{\"type\":\"ping\",\"data\":\"AQI\"}")).isEqualTo(new Ping(Buffer.buffer(new byte[] {1, 2})));
  }

  @Test
  void loneSurrogatesAreNotValidUnicode() {
    assertMalformed("{\"type\":\"publish\",\"topic\":\"a\\ud800\",\"payload\":\"\",\"encoding\":\"utf8\"}",
        "publish.topic: lone surrogate at index 1 is not valid Unicode");
    assertMalformed("{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"\\udc00\",\"encoding\":\"utf8\"}",
        "publish.payload: lone surrogate at index 0 is not valid Unicode");
  }

  @Test
  void nullIsTheSameAsLeavingAFieldOut() {
    assertThat(decode("{\"type\":\"publish\",\"topic\":\"a\",\"payload\":\"x\",\"encoding\":\"utf8\",\"contentType\":null,"
        + "\"qos\":null,\"userProperties\":null}"))
        .isEqualTo(Publish.of("a", Buffer.buffer("x")));
  }

  @Test
  void fieldsAtTheirDefaultMayBeWrittenOut() {
    assertThat(decode("{\"type\":\"connack\",\"sessionPresent\":false,\"reasonCode\":0,\"maximumQos\":2,"
        + "\"retainAvailable\":true,\"userProperties\":[]}"))
        .isEqualTo(ConnAck.accepted(false));
  }
}
