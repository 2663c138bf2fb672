package io.braid.protocol.message;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.braid.protocol.codec.MalformedException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The JSON message codec of subprotocol {@code braid.v1.json} (docs/PROTOCOL.md, "Messages"): one
 * message is one JSON object, {@code {"type":"publish","topic":"a/b","payload":"hi",
 * "encoding":"utf8",...}}, field names in lowerCamelCase as the record components.
 *
 * <ul>
 *   <li>A field left out takes its default (false, 0, absent, empty list; {@code true} for {@code
 *       requestProblemInformation} and the CONNACK "...Available" fields, 2 for {@code maximumQos});
 *       {@code null} is the same as left out. The encoder leaves out every field at its default.
 *   <li>A payload is {@code "payload"} with {@code "encoding":"utf8"} (the JSON string's text as
 *       UTF-8) or {@code "encoding":"base64"}; the encoder picks utf8 whenever the bytes are valid
 *       UTF-8. {@code password}, {@code authData}, {@code correlationData} and PING's {@code data}
 *       are always base64 (RFC 4648 §4, padding optional on input).
 *   <li>Unknown fields are refused, as are duplicate fields and anything after the object: a typo in
 *       a hand-written message ({@code "retian":true}) must not pass silently. New fields come with a
 *       new subprotocol version.
 * </ul>
 *
 * Errors are {@link MalformedException}s naming the field as {@code type.field} ({@code
 * "publish.qos: must be 0, 1 or 2, was 3"}, {@code "publish.topic: missing"}). Stateless and thread
 * safe (one shared {@link ObjectMapper}).
 */
public final class JsonMessageCodec implements MessageCodec {
  public static final String SUBPROTOCOL = "braid.v1.json";
  public static final JsonMessageCodec INSTANCE = new JsonMessageCodec();

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  static final String UTF8 = "utf8";
  static final String BASE64 = "base64";

  private JsonMessageCodec() {}

  @Override
  public String subprotocol() {
    return SUBPROTOCOL;
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  @Override
  public Buffer encode(BraidMessage message) {
    return JsonMessageWriter.encode(message);
  }

  @Override
  public Buffer encode(BraidMessage message, Buffer out) {
    return JsonMessageWriter.encode(message, out);
  }

  /**
   * Writes {@code message} as one JSON object to {@code g}, e.g. as the {@code "message"} of an
   * enclosing frame object.
   *
   * @throws IllegalArgumentException if a string holds a lone surrogate (no UTF-8 form)
   */
  public void write(BraidMessage message, JsonGenerator g) throws IOException {
    JsonMessageWriter.write(message, g);
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  @Override
  public BraidMessage decode(Buffer jsonObjectText) {
    return JsonMessageReader.decode(jsonObjectText);
  }

  /**
   * Decodes one message from its JSON object, e.g. the {@code "message"} of an enclosing frame.
   *
   * @throws MalformedException naming the field and the broken rule
   */
  public BraidMessage decode(JsonNode node) {
    return JsonMessageReader.decode(node);
  }
}
