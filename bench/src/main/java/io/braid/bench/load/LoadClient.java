package io.braid.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * A client of the broker scenarios, whichever its implementation ({@link Kind}). Confined to its event loop:
 * call it on {@link #context()}.
 */
interface LoadClient {

  /** The implementations compared. */
  enum Kind {
    /** {@link BraidLoadClient}: the protocol module's stream endpoint over Vert.x's WebSocket client, nothing more. */
    ENDPOINT,
    /** {@link SdkLoadClient}: the Java SDK, {@code io.braid.client.BraidClient}. */
    SDK,
    /** {@link MqttLoadClient}: MQTT 3.1.1 over TCP, to Braid's MQTT listener or to another broker. */
    MQTT;

    static Kind named(String name) {
      return switch (name) {
        case "endpoint" -> ENDPOINT;
        case "sdk" -> SDK;
        case "mqtt" -> MQTT;
        default -> throw new IllegalArgumentException("unknown client " + name + " (endpoint, sdk, mqtt)");
      };
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  Context context();

  /** Subscribes to {@code filter}; every delivery's payload goes to {@code payloads}. Completes on SUBACK. */
  Future<Void> subscribe(String filter, int qos, Consumer<Buffer> payloads);

  /** What to run when the broker grants credit, and when a QoS 1/2 publish is acknowledged. */
  void onFlow(Runnable credit, Runnable acknowledged);

  /**
   * Records in {@code acknowledgements} the nanoseconds from each QoS 1/2 publish to its acknowledgement (PUBACK,
   * PUBCOMP), for a client that can; others ignore it. Call before publishing.
   */
  default void recordAcknowledgements(org.HdrHistogram.Recorder acknowledgements) {
  }

  /** Whether a publish can go out now without waiting in a queue of the client. */
  boolean canPublish();

  void publish(String topic, Buffer payload, int qos);

  Future<Void> close();
}
