package io.braid.client;

import io.braid.protocol.message.BraidMessage;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeOptions;
import io.braid.protocol.message.TopicPosition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The Braid SDK for plain Java: the same client as {@link BraidClient}, each call blocking until its answer (at most
 * the options' request timeout). It owns a Vert.x instance with one event loop, closed by {@link #close()}.
 *
 * <p>Safe from any thread. Message handlers run on a thread of their own (one per client, in order), never on the
 * event loop, so a handler may call this client, publish included, without deadlock. A message is acknowledged to the
 * broker when its handler returns; while it runs, its subscription takes no more messages and the broker's credit
 * waits, which is backpressure. A call made on the event loop itself (from a {@link BraidClient} callback) fails at
 * once with {@link IllegalStateException}: it would wait for itself.
 */
public final class BlockingBraidClient implements AutoCloseable {

  private final Vertx vertx;
  private final BraidClient client;
  private final long timeoutMillis;
  private final ExecutorService handlers = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "braid-client-handlers");
    thread.setDaemon(true);
    return thread;
  });

  BlockingBraidClient(BraidClientOptions options) {
    BraidClientOptions copy = new BraidClientOptions(options);
    copy.validate();
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.client = BraidClient.create(vertx, copy);
    this.timeoutMillis = copy.requestTimeoutMillis();
  }

  /** Connects; see {@link BraidClient#connect()}. */
  public void connect() {
    await(client.connect());
  }

  /**
   * Subscribes; {@code handler} runs on the client's handler thread, one message at a time. Returns once granted.
   */
  public Subscription subscribe(String filter, int maxQos, Consumer<ReceivedMessage> handler) {
    return subscribe(filter, SubscribeOptions.of(maxQos), handler);
  }

  /** Subscribes with MQTT 5 subscription options; see {@link #subscribe(String, int, Consumer)}. */
  public Subscription subscribe(String filter, SubscribeOptions options, Consumer<ReceivedMessage> handler) {
    return subscribe(new Subscribe(filter, options, BraidMessage.ABSENT, List.of()), handler);
  }

  /**
   * Subscribes with a start in history or an overflow policy (see {@link BraidClient#subscribe(Subscribe)}); returns
   * on the SUBACK, whose recovery report is the subscription's {@link Subscription#recovery()}.
   */
  public Subscription subscribe(Subscribe subscribe, Consumer<ReceivedMessage> handler) {
    Subscription subscription = await(client.subscribe(subscribe));
    // acknowledged once the handler returned: the next message, and the broker's credit, wait for it
    subscription.asyncHandler(message -> {
      Promise<Void> done = Promise.promise();
      handlers.execute(() -> {
        try {
          handler.accept(message);
          done.complete();
        } catch (RuntimeException e) {
          done.fail(e);
        }
      });
      return done.future();
    });
    return subscription;
  }

  /** See {@link BraidClient#storedPosition}. */
  public TopicPosition storedPosition(String filter) {
    return client.storedPosition(filter);
  }

  /** Ends a subscription; returns on the UNSUBACK. */
  public void unsubscribe(Subscription subscription) {
    await(subscription.unsubscribe());
  }

  /** Publishes at {@code qos}; returns once acknowledged (QoS 0: written). */
  public void publish(String topic, Buffer payload, int qos) {
    await(client.publish(topic, payload, qos));
  }

  /** Publishes a message; see {@link BraidClient#publish(String, Buffer, int, boolean, MessageProperties)}. */
  public void publish(String topic, Buffer payload, int qos, boolean retain, MessageProperties properties) {
    await(client.publish(topic, payload, qos, retain, properties));
  }

  /** See {@link BraidClient#pendingPublishes()}. */
  public List<PendingPublish> pendingPublishes() {
    return client.pendingPublishes();
  }

  /** The connection's state now. */
  public ConnectionState state() {
    return client.state();
  }

  /** The asynchronous client underneath, for what this one does not offer. */
  public BraidClient async() {
    return client;
  }

  /** Disconnects normally and releases everything: the client, its handler thread and its Vert.x instance. */
  @Override
  public void close() {
    try {
      if (!(client.state() instanceof ConnectionState.Closed)) {
        await(client.disconnect());
      }
    } finally {
      handlers.shutdown();
      try {
        vertx.close().await(timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new BraidException.Timeout("Vert.x did not close within " + timeoutMillis + " ms");
      } catch (Exception e) {
        throw new BraidException.Closed("closing failed: " + e, e);
      }
    }
  }

  private <T> T await(Future<T> future) {
    if (Vertx.currentContext() == client.context()) {
      throw new IllegalStateException("a blocking call on the client's own event loop would wait for itself: "
          + "use the asynchronous BraidClient there (async()), or call from another thread");
    }
    try {
      return future.await(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BraidException.Timeout("no answer within " + timeoutMillis + " ms");
    } catch (BraidException | IllegalStateException | IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new BraidException.Closed(e.getMessage(), e);
    }
  }
}
