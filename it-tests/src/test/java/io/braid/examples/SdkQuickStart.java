package io.braid.examples;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.Subscription;
import io.braid.protocol.message.SubscribeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Connects, subscribes to a wildcard filter with backpressure, publishes at QoS 1, and prints what arrives. */
public class SdkQuickStart {

  public static void main(String[] args) throws Exception {
    String broker = args.length > 0 ? args[0] : "ws://localhost:8080/braid";
    Vertx vertx = Vertx.vertx();
    BraidClient client = BraidClient.create(vertx, new BraidClientOptions()
        .uris(broker)                 // several URIs: failover, tried in turn with backoff and jitter
        .clientId("quick-start")
        .persistentSession(3_600));   // the broker keeps what comes while the client is away, for an hour
    client.stateHandler(state -> System.out.println("connection: " + state));
    client.connect().await(10, TimeUnit.SECONDS);

    // A subscription is a Vert.x ReadStream: its demand is the stream's credit, so a paused
    // subscription makes the broker hold its messages instead of this process buffering them.
    Subscription temperatures = client.subscribe("home/+/temperature", SubscribeOptions.of(1))
        .await(10, TimeUnit.SECONDS);
    CountDownLatch received = new CountDownLatch(3);
    temperatures.pause();
    temperatures.handler(message -> {
      System.out.println(message.topic() + " = " + message.payload());
      received.countDown();
    });
    temperatures.fetch(2);          // two now...

    for (String room : List.of("kitchen", "hall", "attic")) {
      client.publish("home/" + room + "/temperature", Buffer.buffer("21.5"), 1)
          .await(10, TimeUnit.SECONDS); // completes on the broker's PUBACK
    }
    temperatures.fetch(1);          // ...and the third when the application is ready for it
    if (!received.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every message arrived");
    }
    client.disconnect().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
