package io.braid.client;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MQTT 5 properties of a message, all optional: user properties (ordered, names may repeat), content type,
 * response topic and correlation data (request/response), message expiry, and whether the payload is UTF-8.
 *
 * <p>Immutable; the {@code with} methods return a copy.
 *
 * @param userProperties name/value pairs, in order
 * @param contentType a MIME type, or null
 * @param responseTopic where a response should go, or null
 * @param correlationData matches a response to its request, or null
 * @param messageExpirySeconds lifetime in seconds, or -1 for none
 * @param payloadUtf8 whether the payload is declared UTF-8 (the broker checks it)
 */
public record MessageProperties(List<Map.Entry<String, String>> userProperties, String contentType,
    String responseTopic, Buffer correlationData, long messageExpirySeconds, boolean payloadUtf8) {

  /** No properties at all. */
  public static final MessageProperties NONE = new MessageProperties(List.of(), null, null, null, -1, false);

  public MessageProperties {
    userProperties = List.copyOf(userProperties);
  }

  /** These properties with one more user property. */
  public MessageProperties withUserProperty(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(userProperties);
    more.add(Map.entry(name, value));
    return new MessageProperties(more, contentType, responseTopic, correlationData, messageExpirySeconds,
        payloadUtf8);
  }

  /** These properties with a content type. */
  public MessageProperties withContentType(String type) {
    return new MessageProperties(userProperties, type, responseTopic, correlationData, messageExpirySeconds,
        payloadUtf8);
  }

  /** These properties with a message expiry. */
  public MessageProperties withMessageExpirySeconds(long seconds) {
    return new MessageProperties(userProperties, contentType, responseTopic, correlationData, seconds, payloadUtf8);
  }
}
