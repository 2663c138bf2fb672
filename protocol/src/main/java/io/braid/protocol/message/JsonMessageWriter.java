package io.braid.protocol.message;

import static io.braid.protocol.message.JsonMessageCodec.BASE64;
import static io.braid.protocol.message.JsonMessageCodec.MAPPER;
import static io.braid.protocol.message.JsonMessageCodec.UTF8;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.braid.protocol.codec.Utf8Validator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The encoding half of {@link JsonMessageCodec}: writes a message as one JSON object, leaving out
 * every field at its default. Stateless and thread safe.
 */
final class JsonMessageWriter {
  private JsonMessageWriter() {}

  static Buffer encode(BraidMessage message) {
    return encode(message, Buffer.buffer(128));
  }

  static Buffer encode(BraidMessage message, Buffer out) {
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(new BufferOutput(out), JsonEncoding.UTF8)) {
      write(message, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a Buffer never fails to grow
    }
    return out;
  }

  /**
   * Writes {@code message} as one JSON object to {@code g}, e.g. as the {@code "message"} of an
   * enclosing frame object.
   *
   * @throws IllegalArgumentException if a string holds a lone surrogate (no UTF-8 form)
   */
  static void write(BraidMessage message, JsonGenerator g) throws IOException {
    String type = message.type().jsonName();
    g.writeStartObject();
    g.writeStringField("type", type);
    switch (message.type()) {
      case CONNECT: writeConnect((Connect) message, g); break;
      case CONNACK: writeConnAck((ConnAck) message, g); break;
      case PUBLISH: writePublish((Publish) message, g); break;
      case PUBACK: case PUBREC: case PUBREL: case PUBCOMP: {
        PublishAck m = (PublishAck) message;
        g.writeNumberField("packetId", m.packetId());
        writeAck(type, m.reasonCode(), m.reasonString(), m.userProperties(), g);
        break;
      }
      case SUBSCRIBE: writeSubscribe((Subscribe) message, g); break;
      case SUBACK: {
        SubAck m = (SubAck) message;
        writeAck(type, m.reasonCode(), m.reasonString(), m.userProperties(), g);
        JsonHistoryFields.writeRecovery(m.recovery(), g);
        break;
      }
      case UNSUBSCRIBE: writeUserProperties(type, ((Unsubscribe) message).userProperties(), g); break;
      case UNSUBACK: {
        UnsubAck m = (UnsubAck) message;
        writeAck(type, m.reasonCode(), m.reasonString(), m.userProperties(), g);
        break;
      }
      case PING: writeData(((Ping) message).data(), g); break;
      case PONG: writeData(((Pong) message).data(), g); break;
      case DISCONNECT: writeDisconnect((Disconnect) message, g); break;
      case AUTH: writeAuth((Auth) message, g); break;
      default: throw new IllegalStateException("unknown message type " + message.type());
    }
    g.writeEndObject();
  }

  private static void writeConnect(Connect m, JsonGenerator g) throws IOException {
    writeString("connect", "clientId", m.clientId().isEmpty() ? null : m.clientId(), g);
    writeTrue("cleanStart", m.cleanStart(), g);
    writeNumber("keepAlive", m.keepAlive(), 0, g);
    writeNumber("sessionExpiryInterval", m.sessionExpiryInterval(), 0, g);
    if (m.will() != null) {
      g.writeFieldName("will");
      writeWill(m.will(), g);
    }
    writeString("connect", "username", m.username(), g);
    writeBase64("password", m.password(), g);
    writeString("connect", "token", m.token(), g);
    writeString("connect", "authMethod", m.authMethod(), g);
    writeBase64("authData", m.authData(), g);
    if (!m.requestProblemInformation()) {
      g.writeBooleanField("requestProblemInformation", false);
    }
    writeUserProperties("connect", m.userProperties(), g);
  }

  private static void writeWill(ConnectWill w, JsonGenerator g) throws IOException {
    String path = "connect.will";
    g.writeStartObject();
    writeString(path, "topic", w.topic(), g);
    writePayload(w.payload(), g);
    writeNumber("qos", w.qos(), 0, g);
    writeTrue("retain", w.retain(), g);
    writeNumber("delayInterval", w.delayInterval(), 0, g);
    writeNumber("messageExpiryInterval", w.messageExpiryInterval(), BraidMessage.ABSENT, g);
    writeNumber("payloadFormatIndicator", w.payloadFormatIndicator(), 0, g);
    writeString(path, "contentType", w.contentType(), g);
    writeString(path, "responseTopic", w.responseTopic(), g);
    writeBase64("correlationData", w.correlationData(), g);
    writeUserProperties(path, w.userProperties(), g);
    g.writeEndObject();
  }

  private static void writeConnAck(ConnAck m, JsonGenerator g) throws IOException {
    String path = "connack";
    writeTrue("sessionPresent", m.sessionPresent(), g);
    writeNumber("reasonCode", m.reasonCode(), 0, g);
    writeString(path, "assignedClientId", m.assignedClientId(), g);
    writeNumber("serverKeepAlive", m.serverKeepAlive(), BraidMessage.ABSENT, g);
    writeNumber("sessionExpiryInterval", m.sessionExpiryInterval(), BraidMessage.ABSENT, g);
    writeNumber("maximumQos", m.maximumQos(), 2, g);
    writeFalse("retainAvailable", m.retainAvailable(), g);
    writeFalse("wildcardSubscriptionAvailable", m.wildcardSubscriptionAvailable(), g);
    writeFalse("sharedSubscriptionAvailable", m.sharedSubscriptionAvailable(), g);
    writeFalse("subscriptionIdentifiersAvailable", m.subscriptionIdentifiersAvailable(), g);
    writeNumber("maximumMessageSize", m.maximumMessageSize(), BraidMessage.ABSENT, g);
    writeString(path, "reasonString", m.reasonString(), g);
    writeString(path, "serverReference", m.serverReference(), g);
    writeString(path, "authMethod", m.authMethod(), g);
    writeBase64("authData", m.authData(), g);
    writeUserProperties(path, m.userProperties(), g);
  }

  private static void writePublish(Publish m, JsonGenerator g) throws IOException {
    String path = "publish";
    writeString(path, "topic", m.topic(), g);
    writePayload(m.payload(), g);
    writeNumber("qos", m.qos(), 0, g);
    writeNumber("packetId", m.packetId(), 0, g);
    writeTrue("retain", m.retain(), g);
    writeTrue("dup", m.dup(), g);
    writeNumber("messageExpiryInterval", m.messageExpiryInterval(), BraidMessage.ABSENT, g);
    writeNumber("payloadFormatIndicator", m.payloadFormatIndicator(), 0, g);
    writeString(path, "contentType", m.contentType(), g);
    writeString(path, "responseTopic", m.responseTopic(), g);
    writeBase64("correlationData", m.correlationData(), g);
    if (!m.subscriptionIdentifiers().isEmpty()) {
      g.writeArrayFieldStart("subscriptionIdentifiers");
      for (int id : m.subscriptionIdentifiers()) {
        g.writeNumber(id);
      }
      g.writeEndArray();
    }
    writeUserProperties(path, m.userProperties(), g);
    JsonHistoryFields.writePosition("position", m.position(), g);
  }

  private static void writeSubscribe(Subscribe m, JsonGenerator g) throws IOException {
    writeString("subscribe", "topicFilter", m.topicFilter(), g);
    SubscribeOptions options = m.options();
    writeNumber("maxQos", options.maxQos(), 0, g);
    writeTrue("noLocal", options.noLocal(), g);
    writeTrue("retainAsPublished", options.retainAsPublished(), g);
    writeNumber("retainHandling", options.retainHandling(), 0, g);
    writeNumber("subscriptionIdentifier", m.subscriptionIdentifier(), BraidMessage.ABSENT, g);
    writeUserProperties("subscribe", m.userProperties(), g);
    JsonHistoryFields.writeStartAndOverflow(m, g);
  }

  private static void writeAck(String path, int reasonCode, String reasonString, List<UserProperty> userProperties,
      JsonGenerator g) throws IOException {
    writeNumber("reasonCode", reasonCode, 0, g);
    writeString(path, "reasonString", reasonString, g);
    writeUserProperties(path, userProperties, g);
  }

  private static void writeDisconnect(Disconnect m, JsonGenerator g) throws IOException {
    String path = "disconnect";
    writeNumber("reasonCode", m.reasonCode(), 0, g);
    writeNumber("sessionExpiryInterval", m.sessionExpiryInterval(), BraidMessage.ABSENT, g);
    writeString(path, "reasonString", m.reasonString(), g);
    writeString(path, "serverReference", m.serverReference(), g);
    writeUserProperties(path, m.userProperties(), g);
  }

  private static void writeAuth(Auth m, JsonGenerator g) throws IOException {
    String path = "auth";
    writeNumber("reasonCode", m.reasonCode(), 0, g);
    writeString(path, "authMethod", m.authMethod(), g);
    writeBase64("authData", m.authData(), g);
    writeString(path, "reasonString", m.reasonString(), g);
    writeUserProperties(path, m.userProperties(), g);
  }

  private static void writeData(Buffer data, JsonGenerator g) throws IOException {
    if (data.length() > 0) {
      writeBase64("data", data, g);
    }
  }

  /** {@code "payload"} and {@code "encoding"}: utf8 when the bytes are valid UTF-8, else base64. */
  private static void writePayload(Buffer payload, JsonGenerator g) throws IOException {
    byte[] bytes = payload.getBytes();
    if (Utf8Validator.isValid(bytes, 0, bytes.length)) {
      g.writeStringField("payload", new String(bytes, StandardCharsets.UTF_8));
      g.writeStringField("encoding", UTF8);
    } else {
      g.writeStringField("payload", Base64.getEncoder().encodeToString(bytes));
      g.writeStringField("encoding", BASE64);
    }
  }

  private static void writeString(String path, String name, String value, JsonGenerator g) throws IOException {
    if (value != null) {
      g.writeStringField(name, checked(path + "." + name, value));
    }
  }

  private static String checked(String field, String value) {
    int index = Utf8.loneSurrogate(value);
    if (index >= 0) {
      throw Checks.invalid(field, "lone surrogate at index " + index + " has no UTF-8 form");
    }
    return value;
  }

  private static void writeBase64(String name, Buffer value, JsonGenerator g) throws IOException {
    if (value != null) {
      g.writeStringField(name, Base64.getEncoder().encodeToString(value.getBytes()));
    }
  }

  private static void writeNumber(String name, long value, long defaultValue, JsonGenerator g) throws IOException {
    if (value != defaultValue) {
      g.writeNumberField(name, value);
    }
  }

  private static void writeTrue(String name, boolean value, JsonGenerator g) throws IOException {
    if (value) {
      g.writeBooleanField(name, true);
    }
  }

  private static void writeFalse(String name, boolean value, JsonGenerator g) throws IOException {
    if (!value) {
      g.writeBooleanField(name, false);
    }
  }

  private static void writeUserProperties(String path, List<UserProperty> properties, JsonGenerator g)
      throws IOException {
    if (properties.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart("userProperties");
    for (UserProperty property : properties) {
      g.writeStartObject();
      g.writeStringField("name", checked(path + ".userProperties.name", property.name()));
      g.writeStringField("value", checked(path + ".userProperties.value", property.value()));
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** Jackson's output straight into a Buffer. */
  private static final class BufferOutput extends OutputStream {
    private final Buffer out;

    BufferOutput(Buffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.appendBytes(b, off, len);
    }
  }
}
