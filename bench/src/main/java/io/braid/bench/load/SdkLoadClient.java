package io.braid.bench.load;

import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.ReconnectPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * A Braid client of the load tool on the Java SDK ({@link BraidClient}), with the same credit as
 * {@link BraidLoadClient} grants (1,024 deliveries per subscription): what an application gets from the SDK,
 * measured against the bare stream endpoint. It publishes only while nothing waits in the SDK for the broker's credit
 * ({@link BraidClient#queuedPublishes()}), as the endpoint client publishes only with credit, so that a message's
 * latency starts when it can go out in both.
 *
 * <p>Confined to its client's context: call it on {@link #context()}.
 */
final class SdkLoadClient implements LoadClient {

  private final BraidClient client;
  private Runnable onAcknowledged = () -> { };

  private SdkLoadClient(BraidClient client) {
    this.client = client;
  }

  /** Connects a client as {@code clientId}, on {@code context}'s event loop; completes on CONNACK. */
  static Future<LoadClient> connect(Context context, String host, int port, String clientId, boolean persistent) {
    BraidClientOptions options = new BraidClientOptions().uris("ws://" + host + ":" + port + "/braid")
        .clientId(clientId).keepAliveSeconds(600).receiveWindow(1_024).outbox(1_000_000,
            io.braid.client.OutboxPolicy.FAIL, 0).reconnect(ReconnectPolicy.NEVER);
    if (persistent) {
      options.persistentSession(600);
    }
    Promise<LoadClient> connected = Promise.promise();
    context.runOnContext(v -> {
      BraidClient client = BraidClient.create(context.owner(), options);
      client.connect().map(done -> (LoadClient) new SdkLoadClient(client)).onComplete(connected);
    });
    return connected.future();
  }

  @Override
  public Context context() {
    return client.context();
  }

  @Override
  public Future<Void> subscribe(String filter, int qos, Consumer<Buffer> payloads) {
    return client.subscribe(filter, qos, message -> payloads.accept(message.payload())).mapEmpty();
  }

  @Override
  public void onFlow(Runnable credit, Runnable acknowledged) {
    this.onAcknowledged = acknowledged;
    client.drainHandler(v -> credit.run());
  }

  /** Whether a publish would be written now: nothing waits in the SDK for the broker's credit. */
  @Override
  public boolean canPublish() {
    return client.queuedPublishes() == 0;
  }

  @Override
  public void publish(String topic, Buffer payload, int qos) {
    Future<Void> done = client.publish(topic, payload, qos);
    if (qos > 0) {
      done.onSuccess(v -> onAcknowledged.run());
    }
  }

  @Override
  public Future<Void> close() {
    return client.disconnect();
  }
}
